// What a terminal would act on or not show: C0/C1 controls and DEL (escape sequences start with them), format characters
// (bidi overrides and isolates, zero-width spaces and joiners, the soft hyphen, tags, the BOM), line and paragraph
// separators, lone surrogates, and the Hangul fillers that draw as blank. Each is shown as a `\uXXXX` escape instead.
const hidden = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115F\u1160\u3164\uFFA0]/u;
const hiddenWithNewlines = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115F\u1160\u3164\uFFA0]/u;

/** `\u001b`, `\u200b`, `\u{e0041}`: how a hidden character is written so a reader sees it is there and which it is. */
function escapeOf(codePoint: number): string {
	const hex = codePoint.toString(16);
	return codePoint > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/**
 * Makes text from a token, a server or a file safe to print, without hiding anything: every control and invisible
 * character is shown as an escape (`\u001b]52;c;…\u0007` stays readable as the OSC sequence it is) rather than
 * sent to the terminal or dropped, so an issuer `https://x<ESC>[2J.example` is never shown as `https://x.example`.
 * A backslash that could be read as the start of an escape is doubled, so the shown text maps back to the input
 * exactly (`fromVisible`). Newlines stay line breaks only when asked for (multi-line JSON).
 */
export function terminalSafe(text: string, options: {newlines?: boolean} = {}): string {
	const pattern = options.newlines ? hiddenWithNewlines : hidden;
	if (!pattern.test(text) && !text.includes('\\')) return text;
	const characters = [...text];
	const escaped = characters.map(character => pattern.test(character));
	return characters
		.map((character, index) => {
			if (escaped[index]) return escapeOf(character.codePointAt(0)!);
			// Doubled only where it would otherwise start something fromVisible reads as an escape.
			const next = characters[index + 1];
			if (character === '\\' && next !== undefined && (next === '\\' || next === 'u' || escaped[index + 1])) return '\\\\';
			return character;
		})
		.join('');
}

/** Whether `terminalSafe` would show anything as an escape: the TUI and `inspect` say so next to the claim. */
export function hasHiddenCharacters(text: string, options: {newlines?: boolean} = {}): boolean {
	return (options.newlines ? hiddenWithNewlines : hidden).test(text);
}

/** The sentence shown next to a value that holds hidden characters. */
export const hiddenCharactersNote = 'contains control or invisible characters, shown as \\u escapes';

/** The text `terminalSafe` was given, from what it showed: proof that nothing is dropped, and a way to copy it back. */
export function fromVisible(shown: string): string {
	return shown.replace(/\\(\\|u\{([0-9a-f]{1,6})\}|u([0-9a-f]{4}))/g, (match, _all: string, long?: string, short?: string) => {
		if (long ?? short) return String.fromCodePoint(Number.parseInt((long ?? short)!, 16));
		return '\\';
	});
}
