import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import {ClaimsTable} from '../../../src/ui/components/ClaimsTable.js';
import {render} from '../../support/ink.js';

// The claims as a user reads them in ink-testing-library's terminal of 100 columns: one row per claim, and the
// selected claim's whole value (and what it means) below. Widths are terminal columns, not UTF-16 code units: a CJK
// character takes two, most emoji two, a combining mark none.

const columns = 100;
const graphemes = (text: string) => [...new Intl.Segmenter().segment(text)].map(part => part.segment);

let unmount: (() => Promise<void>) | undefined;
afterEach(async () => {
	await unmount?.();
	unmount = undefined;
});

async function draw(claims: Record<string, unknown>, selected: number): Promise<string[]> {
	const view = await render(<ClaimsTable claims={claims} selected={selected} rows={24} columns={columns} />);
	unmount = view.unmount;
	return view.frame().split('\n');
}

/** Every line fits the terminal, and is made of whole characters: the value's own, or the table's plain text. */
function expectWholeCharactersWithin(lines: string[], value: string): void {
	const allowed = new Set(graphemes(value));
	for (const line of lines) {
		expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
		expect(line, 'a lone surrogate').not.toMatch(/\p{Cs}/u);
		const foreign = graphemes(line).filter(part => !allowed.has(part) && !/^[\u0020-\u007E❯↑↓⚠’…]$/.test(part));
		expect(foreign, line).toEqual([]);
	}
}

/** The selected claim's value as it is shown below the table, its lines joined. */
function shownValue(lines: string[], name: string): string {
	const start = lines.findIndex(line => line.trimStart().startsWith(`${name} =`));
	expect(start, lines.join('\n')).toBeGreaterThanOrEqual(0);
	const end = lines.findIndex((line, index) => index > start && /^ *(⚠ )?[^ ]+:? /.test(line) && !line.includes(' = '));
	return lines
		.slice(start, end)
		.map(line => line.trim())
		.join('')
		.slice(`${name} =`.length)
		.trimStart();
}

describe('claims in Japanese, emoji and combining marks, at 100 columns', () => {
	it('shows a Japanese value whole below the table, on lines that fit the terminal', async () => {
		// 90 characters, 180 columns: it fits the row by length, not by columns.
		const value = 'トークンの利用者の表示名はとても長い日本語の文字列で、画面の幅を越えて折り返されなければなりません。'
			.repeat(2)
			.slice(0, 90);
		const lines = await draw({iss: 'https://accounts.google.com', name: value}, 1);
		expectWholeCharactersWithin(lines, value);
		expect(shownValue(lines, 'name')).toBe(value);
	});

	it('shows emoji (flags, skin tones, a family joined by ZWJ) whole and never splits one', async () => {
		// A family's joiners are invisible characters: shown as \u200d escapes, and the claim flagged.
		const value = '🇯🇵🇫🇷👍🏽👨‍👩‍👧'.repeat(12);
		const lines = await draw({sub: '1234', nickname: value}, 1);
		const shown = value.replaceAll('\u200d', '\\u200d');
		expectWholeCharactersWithin(lines, shown);
		expect(shownValue(lines, 'nickname')).toBe(shown);
		expect(lines.join('\n')).toContain('⚠ nickname contains control or invisible characters');
	});

	it('keeps combining marks with their letters', async () => {
		// 130 columns from 390 code units: x with a dot below and an acute, which no single code point stands for.
		const value = 'x\u0323\u0301'.repeat(130);
		const lines = await draw({sub: '1234', given_name: value}, 1);
		expectWholeCharactersWithin(lines, value);
		expect(shownValue(lines, 'given_name')).toBe(value);
	});

	it('keeps the value column straight when a claim’s name is wide', async () => {
		const lines = await draw({sub: '1234', 表示名前クレーム名: 'tanaka', iss: 'https://accounts.google.com'}, 0);
		const rows = lines.slice(0, 3);
		const valueColumns = ['1234', 'tanaka', 'https://accounts.google.com'].map((value, index) => {
			const row = rows[index]!;
			return stringWidth(row.slice(0, row.indexOf(value)));
		});
		expect(valueColumns).toEqual([18, 18, 18]);
		expectWholeCharactersWithin(rows, '表示名前クレーム名');
	});
});
