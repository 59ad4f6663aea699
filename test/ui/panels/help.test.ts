import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {wrapPane} from '../../../src/ui/components/Pane.js';
import {helpLines} from '../../../src/ui/panels/other.js';

// The help (?) as it is drawn: keys in their column, each entry's words wrapped beside it, nothing past the edge.

describe('the help pane', () => {
	it.each([60, 80, 120])('at %i columns keeps its two columns on long entries, in whole words', columns => {
		const lines = wrapPane(helpLines({refreshes: true, demo: true, tryIt: true}), columns).map(line => line.text);
		for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
		const tryIt = lines.findIndex(line => line.startsWith('  x     try it:'));
		expect(tryIt).toBeGreaterThan(-1);
		// The entry goes on under its own text (column 8), never under the key column, and no word is cut in two.
		const entry = [lines[tryIt]!];
		for (let index = tryIt + 1; lines[index]?.startsWith('        '); index++) entry.push(lines[index]!);
		expect(entry.length).toBeGreaterThan(columns < 120 ? 1 : 0);
		const words = entry.map(line => line.slice(8).trim()).join(' ');
		expect(words).toBe(
			'try it: call the audience with this token, as `tokscope doctor` does, and say why it is refused (p then probes audiences)',
		);
	});
});
