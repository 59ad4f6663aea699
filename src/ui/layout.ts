// The live view's frame is counted in rows before it is drawn: every block says how many lines it wants, and the
// terminal's rows are shared out, so the frame never grows past the terminal (which would push frames, and a
// revealed token, into the scrollback and scroll the header away). Pure, so the sharing is tested without Ink.

import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

// Widths are terminal columns, as string-width counts them (the same measure Ink draws with): a CJK character and
// most emoji take two, a combining mark none, and a cut never falls inside a character (wrap-ansi and slice-ansi cut
// between grapheme clusters). Printable ASCII, by far the most common text, takes the plain path: a column a code unit.
const ascii = /^[\u0020-\u007E]*$/;

/**
 * Word-wraps plain text to `width` columns; a word longer than a line is cut into pieces. Each returned line fits,
 * so a block drawn line by line (truncating, never wrapping) is exactly as tall as this says.
 */
export function wrapText(text: string, width: number): string[] {
	const size = Math.max(1, width);
	return text.split('\n').flatMap(paragraph =>
		// A line that fits keeps its spacing (the columns of a table, a key and its help).
		stringWidth(paragraph) <= size ? [paragraph] : wrapAnsi(paragraph, size, {hard: true}).split('\n'),
	);
}

/** Cuts a string into pieces of at most `size` columns (a revealed token is one long word). */
export function chunks(text: string, size: number): string[] {
	if (!ascii.test(text)) return wrapAnsi(text, Math.max(1, size), {hard: true, wordWrap: false, trim: false}).split('\n');
	if (text.length <= size) return [text];
	const pieces: string[] = [];
	for (let index = 0; index < text.length; index += size) pieces.push(text.slice(index, index + size));
	return pieces;
}

/** The first `width` columns of text, padded with spaces to exactly `width` (a column of a table). */
export function fitColumns(text: string, width: number): string {
	if (ascii.test(text)) return text.slice(0, width).padEnd(width);
	const cut = stringWidth(text) > width ? sliceAnsi(text, 0, width) : text;
	return cut + ' '.repeat(Math.max(0, width - stringWidth(cut)));
}

/**
 * Text that fits `width` columns, cut after a whole word (never inside one) and ending in … when something was left
 * out: for a line that must stay one line and still say only what it says whole.
 */
export function fitWords(text: string, width: number): string {
	if (stringWidth(text) <= width) return text;
	const words = text.split(' ');
	let kept = '';
	for (const word of words) {
		const next = kept ? `${kept} ${word}` : word;
		if (stringWidth(next) + 2 > width) break;
		kept = next;
	}
	return kept ? `${kept} …` : capColumns(text, width);
}

/** Text cut to at most `width` columns, ending in … when something was left out. */
export function capColumns(text: string, width: number): string {
	if (stringWidth(text) <= width) return text;
	return `${sliceAnsi(text, 0, width - 1)}…`;
}

export interface Ask {
	/** Rows this block needs to say anything at all (0: it may fold away). */
	min: number;
	/** Rows it could use. */
	want: number;
}

/**
 * Shares `rows` among blocks: first each block's minimum, in order, while rows last; then each block's wish, in
 * order. The order is the priority: what comes first is folded last.
 */
export function shareRows(rows: number, asks: Ask[]): number[] {
	let left = Math.max(0, rows);
	const given = asks.map(ask => {
		const take = Math.min(ask.min, ask.want, left);
		left -= take;
		return take;
	});
	return given.map((taken, index) => {
		const more = Math.min(asks[index]!.want - taken, left);
		left -= more;
		return taken + more;
	});
}

/** The first visible line of a list of `total` lines in a window of `rows`, keeping `selected` in view. */
export function windowStart(total: number, rows: number, selected: number, current = 0): number {
	const last = Math.max(0, total - rows);
	if (selected < current) return Math.max(0, selected);
	if (selected >= current + rows) return Math.min(last, selected - rows + 1);
	return Math.min(current, last);
}
