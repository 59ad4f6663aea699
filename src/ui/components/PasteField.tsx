import {Box, Text, useInput, usePaste} from 'ink';
import {useReducer, useState} from 'react';
import {PasteBuffer, pasteSummary} from '../screens/paste-buffer.js';
import {colour, dim} from '../theme.js';
import {SafeText} from './SafeText.js';

interface PasteFieldProps {
	isActive: boolean;
	onSubmit: (value: string) => void;
}

/**
 * The field a token is pasted into. Bracketed paste is on while it is shown, so a paste arrives as text whatever it
 * holds (an ESC, a `q`, a newline) and never as keys; a terminal without it sends the text as reads, each appended. It
 * draws a count and the text's start and end, not the text: the frame stays the same size however much arrives, so
 * the screen answers keys while a large paste comes in. Enter takes what it holds; ctrl-u clears it, as in every field.
 */
export function PasteField({isActive, onSubmit}: PasteFieldProps) {
	// One buffer for the field's life, changed in place (a paste can be large): a redraw, not a copy, shows each piece.
	const [buffer] = useState(() => new PasteBuffer());
	const [, redraw] = useReducer((count: number) => count + 1, 0);

	usePaste(
		text => {
			buffer.append(text);
			redraw();
		},
		{isActive},
	);
	useInput(
		(input, key) => {
			if (key.return) return onSubmit(buffer.text());
			if (key.backspace || key.delete) {
				buffer.removeLast();
				return redraw();
			}
			if (key.ctrl && input === 'u') {
				buffer.clear();
				return redraw();
			}
			if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
			// Without bracketed paste, a line break in a read is enter typed right after the text (a paste ending in one).
			const lineBreak = /[\r\n]/.exec(input);
			buffer.append(lineBreak ? input.slice(0, lineBreak.index) : input);
			if (lineBreak) return onSubmit(buffer.text());
			redraw();
		},
		{isActive},
	);

	if (buffer.length === 0 && buffer.refused === 0) {
		return (
			<Text dimColor={dim}>
				<Text inverse> </Text> paste the token here
			</Text>
		);
	}
	const {held, preview, refused} = pasteSummary(buffer);
	return (
		<Box flexDirection="column">
			<Text>
				{held}: <SafeText text={preview.start} />
				{preview.end !== undefined && (
					<>
						<Text dimColor={dim}>…</Text>
						<SafeText text={preview.end} />
					</>
				)}
				<Text dimColor={dim}> (enter takes it)</Text>
			</Text>
			{refused && (
				<Text color={colour('warning')} wrap="wrap">
					⚠ {refused}
				</Text>
			)}
		</Box>
	);
}
