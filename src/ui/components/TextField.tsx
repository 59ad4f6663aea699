import {Text, useInput} from 'ink';
import {useRef, useState} from 'react';
import {editLine, lineOf, type Line} from './line-edit.js';
import {dim} from '../theme.js';
import {SafeText} from './SafeText.js';

interface TextFieldProps {
	/** What the line holds when it appears: real text, which enter takes as it is (ctrl-u clears it). */
	initial?: string;
	/** Shown dimmed while the line is empty; never taken by enter. */
	placeholder?: string;
	/** False: drawn without its cursor, and deaf to keys (another line of the screen has the focus). */
	isActive?: boolean;
	onChange?: (text: string) => void;
	onSubmit: (text: string) => void;
}

/**
 * The one text field of every screen (the inputs, the try-it URL, the sign-in paste): the editing keys of
 * line-edit.ts, the text drawn terminal-safe with its cursor. The field keeps its own line; a screen that needs to
 * start it over gives it a new `key`. Keys it does not use (esc, tab, ctrl-o) are left to the screen.
 */
export function TextField({initial = '', placeholder = '', isActive = true, onChange, onSubmit}: TextFieldProps) {
	const [line, setLine] = useState<Line>(() => lineOf(initial));
	// The line as the last key left it: two keys may arrive before React draws the first one's line.
	const latest = useRef(line);
	useInput(
		(input, key) => {
			const before = latest.current;
			const edit = editLine(before, input, key);
			if (!edit) return;
			if (edit.line.text !== before.text || edit.line.cursor !== before.cursor) {
				latest.current = edit.line;
				setLine(edit.line);
				if (edit.line.text !== before.text) onChange?.(edit.line.text);
			}
			if (edit.submit) onSubmit(edit.line.text);
		},
		{isActive},
	);

	const chars = [...line.text];
	if (chars.length === 0) {
		// The cursor sits on the placeholder's first character: the line is empty, and this is where typing goes.
		const [first = ' ', ...rest] = isActive ? [...placeholder] : [];
		return (
			<Text>
				{isActive && <Text inverse>{first}</Text>}
				<Text dimColor={dim}>{isActive ? rest.join('') : placeholder}</Text>
			</Text>
		);
	}
	if (!isActive) {
		return (
			<Text>
				<SafeText text={line.text} />
			</Text>
		);
	}
	const at = Math.min(line.cursor, chars.length);
	return (
		<Text>
			<SafeText text={chars.slice(0, at).join('')} />
			<Text inverse>{chars[at] === undefined ? ' ' : <SafeText text={chars[at]!} />}</Text>
			<SafeText text={chars.slice(at + 1).join('')} />
		</Text>
	);
}
