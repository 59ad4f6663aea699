// The live view's frame is counted in rows before it is drawn: every block says how many lines it wants, and the
// terminal's rows are shared out, so the frame never grows past the terminal (which would push frames, and a
// revealed token, into the scrollback and scroll the header away). Pure, so the sharing is tested without Ink.

/**
 * Word-wraps plain text to `width` columns; a word longer than a line is cut into pieces. Each returned line fits,
 * so a block drawn line by line (truncating, never wrapping) is exactly as tall as this says.
 */
export function wrapText(text: string, width: number): string[] {
	const size = Math.max(1, width);
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		// A line that fits keeps its spacing (the columns of a table, a key and its help).
		if (paragraph.length <= size) {
			lines.push(paragraph);
			continue;
		}
		let line = '';
		for (const word of paragraph.split(/ +/)) {
			let rest = word;
			// A word longer than a line (a token, a URL) starts where the line has room, rather than on a line of its own.
			if (rest.length > size && line && size - line.length - 1 >= 8) {
				const room = size - line.length - 1;
				line += ` ${rest.slice(0, room)}`;
				rest = rest.slice(room);
			}
			for (const piece of chunks(rest, size)) {
				if (!line) line = piece;
				else if (line.length + 1 + piece.length <= size) line += ` ${piece}`;
				else {
					lines.push(line);
					line = piece;
				}
			}
		}
		lines.push(line);
	}
	return lines;
}

/** Cuts a string into pieces of at most `size` characters (a revealed token is one long word). */
export function chunks(text: string, size: number): string[] {
	if (text.length <= size) return [text];
	const pieces: string[] = [];
	for (let index = 0; index < text.length; index += size) pieces.push(text.slice(index, index + size));
	return pieces;
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
