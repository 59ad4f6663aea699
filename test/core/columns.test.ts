import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {alignColumns} from '../../src/core/columns.js';

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
