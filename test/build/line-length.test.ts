import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {expect, it} from 'vitest';

// Prettier (npm run format:check) lays the code out at 140 columns but leaves long strings and comments whole; this
// keeps every line of code a reader opens within that width.
it('keeps every line of src, test and scripts within 140 characters', () => {
	const files = execFileSync('git', ['ls-files', 'src', 'test', 'scripts'], {encoding: 'utf8'})
		.split('\n')
		.filter(path => /\.(ts|tsx|mjs)$/.test(path));
	expect(files.length).toBeGreaterThan(50);
	const long = files.flatMap(path =>
		readFileSync(path, 'utf8')
			.split('\n')
			.flatMap((line, index) => ([...line].length > 140 ? [`${path}:${index + 1}`] : [])),
	);
	expect(long).toEqual([]);
});
