import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {alignColumns, firstColumns, lastColumns} from '../../src/core/columns.js';

describe('alignColumns', () => {
	it('starts every column at the same terminal column, however long or wide the cells before it', () => {
		const lines = alignColumns([
			['Cloud Run', 'http://127.0.0.1:1', 'ID token'],
			['Google API', 'http://127.0.0.1:43093/v1/projects/tokscope-demo', 'access token'],
			['東京 API', 'http://x', 'no token needed'],
		]);
		const starts = lines.map(line => stringWidth(line.slice(0, line.search(/(ID token|access token|no token needed)$/))));
		expect(new Set(starts).size).toBe(1);
		expect(lines[1]).toBe('Google API  http://127.0.0.1:43093/v1/projects/tokscope-demo  access token');
		expect(lines[2]!.startsWith('東京 API    http://x')).toBe(true);
	});
});

describe('firstColumns and lastColumns', () => {
	it('keep the start or the end that fits in the columns, counting wide characters as two, with … where cut', () => {
		expect(firstColumns('paste here: ', 20)).toBe('paste here: ');
		expect(firstColumns('[4:59 left · Esc gives up] paste here: ', 10)).toBe('[4:59 lef…');
		expect(lastColumns('http://127.0.0.1:8080/?code=abc', 10)).toBe('…?code=abc');
		expect(lastColumns('東京東京東京', 7)).toBe('…京東京');
		expect(stringWidth(lastColumns('東京東京東京', 6))).toBeLessThanOrEqual(6);
		expect(lastColumns('e\u0301e\u0301e\u0301', 2)).toBe('…e\u0301');
	});
});
