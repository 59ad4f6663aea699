import stringWidth from 'string-width';

/**
 * Rows of cells as lines whose columns line up: each column as wide as its widest cell (measured in terminal columns,
 * so a CJK name or an emoji takes its real room) plus `gap` spaces; the last column is not padded.
 */
export function alignColumns(rows: ReadonlyArray<readonly string[]>, gap = 2): string[] {
	const widths: number[] = [];
	for (const row of rows) row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, stringWidth(cell))));
	return rows.map(row =>
		row.map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(widths[column]! - stringWidth(cell) + gap))).join(''),
	);
}

/**
 * The end of `text` that fits in `columns` terminal columns, led by `…` when cut: what a one-line field shows of a long
 * paste (the end is where the typing is).
 */
export function lastColumns(text: string, columns: number): string {
	if (stringWidth(text) <= columns) return text;
	const room = Math.max(0, columns - 1);
	let kept = '';
	for (const {segment} of [...graphemes().segment(text)].reverse()) {
		if (stringWidth(segment + kept) > room) break;
		kept = segment + kept;
	}
	return `…${kept}`;
}

/** The start of `text` that fits in `columns` terminal columns, ending in `…` when cut. */
export function firstColumns(text: string, columns: number): string {
	if (stringWidth(text) <= columns) return text;
	const room = Math.max(0, columns - 1);
	let kept = '';
	for (const {segment} of graphemes().segment(text)) {
		if (stringWidth(kept + segment) > room) break;
		kept += segment;
	}
	return `${kept}…`;
}

// Made on first use: building a segmenter costs milliseconds that a command which never cuts text should not pay.
let segmenter: Intl.Segmenter | undefined;
const graphemes = () => (segmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'}));
