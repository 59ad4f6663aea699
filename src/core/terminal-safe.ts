// What a terminal would act on or not show, by Unicode's own classes rather than a list of our own: controls (Cc: C0,
// DEL and C1, where escape sequences start), format characters (Cf), line and paragraph separators, lone surrogates,
// every Default_Ignorable_Code_Point (zero-width characters, variation selectors such as U+FE0F, the combining grapheme
// joiner, Hangul fillers, Mongolian and Khmer invisibles, tags) and every Bidi_Control (overrides, isolates, marks).
// One more draws nothing though Unicode calls it a symbol: the braille blank U+2800. Each is shown as a `\uXXXX` escape.
const hiddenClass = String.raw`\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\u2800`;
const hidden = new RegExp(`[${hiddenClass}]`, 'u');
const hiddenWithNewlines = new RegExp(`(?!\\n)[${hiddenClass}]`, 'u');
/** Printable ASCII but the backslash: nothing in it to escape or double, decided without the Unicode tables. */
const plainAscii = /^[\x20-\x5B\x5D-\x7E]*$/;

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
	if (plainAscii.test(text)) return text;
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

const hiddenEverywhere = new RegExp(`[${hiddenClass}]`, 'gu');

/**
 * The edge's net for a sentence whose maker already made what it quotes terminal-safe: escapes whatever is still hidden
 * and leaves backslashes alone, so nothing raw reaches the terminal and nothing is escaped twice (`\u001b`, not
 * `\\u001b`). Text that was never made safe must go through `terminalSafe` instead.
 */
export function visibleOnce(text: string): string {
	return plainAscii.test(text) ? text : text.replace(hiddenEverywhere, character => escapeOf(character.codePointAt(0)!));
}

/** Whether `terminalSafe` would show anything as an escape: the TUI and `inspect` say so next to the claim. */
export function hasHiddenCharacters(text: string, options: {newlines?: boolean} = {}): boolean {
	return !plainAscii.test(text) && (options.newlines ? hiddenWithNewlines : hidden).test(text);
}

const hiddenInJson = new RegExp(`(?!\\n)[${hiddenClass}]`, 'gu');

/**
 * JSON text that is safe to print: JSON.stringify escapes C0 but not DEL, C1, bidi controls or invisible characters, so
 * these are written as \u escapes too (one per UTF-16 unit). They only ever stand inside JSON strings, where the escape
 * means the same character: a reader gets exactly the data, a terminal gets nothing to act on.
 */
export function terminalSafeJson(value: unknown, indent?: number): string {
	return (JSON.stringify(value, null, indent) ?? 'null').replace(hiddenInJson, character =>
		Array.from({length: character.length}, (_, index) => `\\u${character.charCodeAt(index).toString(16).padStart(4, '0')}`).join(''),
	);
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
