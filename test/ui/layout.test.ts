import {describe, expect, it} from 'vitest';
import stringWidth from 'string-width';
import {capColumns, chunks, fitColumns, shareRows, windowStart, wrapText} from '../../src/ui/layout.js';

describe('the live view layout', () => {
	it('wraps words to the width and cuts a word longer than a line, so every line fits', () => {
		const lines = wrapText(`Grant it with: gcloud iam service-accounts add-iam-policy-binding ${'x'.repeat(100)} --role=roles/a`, 40);
		expect(lines.every(line => line.length <= 40)).toBe(true);
		expect(lines.join(' ').replaceAll(/\s+/g, '')).toBe(
			`Grantitwith:gcloudiamservice-accountsadd-iam-policy-binding${'x'.repeat(100)}--role=roles/a`,
		);
		expect(wrapText('a   b', 10)).toEqual(['a   b']);
	});

	it('cuts a revealed token into whole lines of the width', () => {
		expect(chunks('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
	});

	it('counts terminal columns, not code units: wide characters take two, and none is cut in half', () => {
		expect(chunks('日本語テキスト', 4)).toEqual(['日本', '語テ', 'キス', 'ト']);
		// An odd width leaves a column empty rather than split a character.
		expect(chunks('日本語テキスト', 5)).toEqual(['日本', '語テ', 'キス', 'ト']);
		expect(chunks('🇯🇵🇫🇷👍🏽', 4)).toEqual(['🇯🇵🇫🇷', '👍🏽']);
		const lines = wrapText('表示名 = 日本語のとても長い値がここにあって、二十の列には収まりません', 20);
		expect(lines.every(line => stringWidth(line) <= 20)).toBe(true);
		expect(lines.join('')).toBe('表示名 =日本語のとても長い値がここにあって、二十の列には収まりません');
	});

	it('pads and cuts a table cell to exactly its columns', () => {
		expect(fitColumns('sub', 6)).toBe('sub   ');
		expect(fitColumns('表示名前', 6)).toBe('表示名');
		expect(fitColumns('表示名前', 5)).toBe('表示 ');
		expect(fitColumns('x\u0323\u0301yz', 2)).toBe('x\u0323\u0301y');
		expect(capColumns('日本語テキスト', 7)).toBe('日本語…');
		expect(capColumns('日本語', 6)).toBe('日本語');
	});

	it('shares rows by priority: minimums first, then wishes, never more than there is', () => {
		expect(
			shareRows(10, [
				{min: 3, want: 3},
				{min: 2, want: 6},
				{min: 2, want: 4},
			]),
		).toEqual([3, 5, 2]);
		expect(
			shareRows(4, [
				{min: 3, want: 3},
				{min: 2, want: 6},
				{min: 2, want: 4},
			]),
		).toEqual([3, 1, 0]);
		expect(shareRows(-2, [{min: 1, want: 1}])).toEqual([0]);
	});

	it('keeps the selection in a scrolled window', () => {
		expect(windowStart(10, 3, 0)).toBe(0);
		expect(windowStart(10, 3, 5)).toBe(3);
		expect(windowStart(10, 3, 9, 3)).toBe(7);
		expect(windowStart(10, 3, 2, 5)).toBe(2);
	});
});
