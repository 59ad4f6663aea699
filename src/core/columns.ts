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
