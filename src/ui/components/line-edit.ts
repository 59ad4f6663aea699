import type {Key} from 'ink';

// One line of text being typed, and what each key does to it: the editing keys every text field shares (TextField.tsx),
// as readline and most shells have them. Pure, so the keys are tested without Ink. The cursor counts code points, so
// a key never splits a character in two.

export interface Line {
	text: string;
	/** Code points before the cursor. */
	cursor: number;
}

/** What a key did: a new line, and `submit` when it was enter (the line as it then stands is what enter takes). */
export interface LineEdit {
	line: Line;
	submit?: true;
}

/** The editing keys, as the help and the hints name them. */
export const editingKeys = '←/→ move · ctrl-a/ctrl-e start/end · ctrl-u clears · ctrl-w deletes a word · ctrl-k deletes to the end';

export function lineOf(text: string): Line {
	return {text, cursor: [...text].length};
}

/**
 * The key's effect on the line, or undefined when the key is not the line's (esc, tab, ↑/↓, another ctrl key): the
 * screen around the field answers those. A line break inside typed text (a paste, or keys sent fast over SSH, where
 * enter arrives in the same read) is enter after the text before it.
 */
export function editLine(line: Line, input: string, key: Key): LineEdit | undefined {
	const chars = [...line.text];
	const at = Math.min(line.cursor, chars.length);
	const to = (next: string[], cursor: number): LineEdit => ({line: {text: next.join(''), cursor}});
	if (key.return) return {line, submit: true};
	if (key.escape || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return undefined;
	if (key.leftArrow) return to(chars, Math.max(0, at - 1));
	if (key.rightArrow) return to(chars, Math.min(chars.length, at + 1));
	if (key.home || (key.ctrl && input === 'a')) return to(chars, 0);
	if (key.end || (key.ctrl && input === 'e')) return to(chars, chars.length);
	if ((key.ctrl && input === 'w') || (key.meta && key.backspace)) {
		const start = wordStart(chars, at);
		return to([...chars.slice(0, start), ...chars.slice(at)], start);
	}
	if (key.backspace) return at === 0 ? {line} : to([...chars.slice(0, at - 1), ...chars.slice(at)], at - 1);
	if (key.delete) return to([...chars.slice(0, at), ...chars.slice(at + 1)], at);
	if (key.ctrl && input === 'u') return to([], 0);
	if (key.ctrl && input === 'k') return to(chars.slice(0, at), at);
	// Any other ctrl or meta key is a command for the screen (ctrl-o copies on the sign-in screen): never typed.
	if (key.ctrl || key.meta || !input) return undefined;
	const lineBreak = /[\r\n]/.exec(input);
	const typed = [...(lineBreak ? input.slice(0, lineBreak.index) : input)];
	const edited = to([...chars.slice(0, at), ...typed, ...chars.slice(at)], at + typed.length);
	return lineBreak ? {...edited, submit: true} : edited;
}

/** Where ctrl-w's word begins: back over spaces, then back over the word (a URL's `/` and `.` end words too). */
function wordStart(chars: string[], at: number): number {
	let index = at;
	while (index > 0 && /\s/.test(chars[index - 1]!)) index--;
	const separator = (char: string) => /[\s/.,:?&=]/.test(char);
	if (index > 0 && separator(chars[index - 1]!)) return index - 1;
	while (index > 0 && !separator(chars[index - 1]!)) index--;
	return index;
}
