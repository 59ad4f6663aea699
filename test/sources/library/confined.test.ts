import {readdir, readFile} from 'node:fs/promises';
import {join, relative} from 'node:path';
import {describe, expect, it} from 'vitest';

// google-auth-library (and gaxios, gcp-metadata under it) stays behind one adapter folder: its clients, the request
// deadline, the quieting of its notices. A file anywhere else that imports it fails here, naming the file and line.

const adapter = 'src/sources/library/';
const library = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"](google-auth-library|gaxios|gcp-metadata)(?:\/[^'"]*)?['"]/;

async function sourceFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, {withFileTypes: true});
	const nested = await Promise.all(
		entries.map(entry => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]))),
	);
	return nested.flat().filter(file => /\.(ts|tsx|mts|js|mjs)$/.test(file));
}

describe('google-auth-library is confined to src/sources/library', () => {
	it('no file outside it imports google-auth-library, gaxios or gcp-metadata', async () => {
		const offenders: string[] = [];
		for (const file of await sourceFiles('src')) {
			const path = relative('.', file).replaceAll('\\', '/');
			if (path.startsWith(adapter)) continue;
			(await readFile(file, 'utf8')).split('\n').forEach((line, index) => {
				if (library.test(line)) offenders.push(`${path}:${index + 1}: ${line.trim()}`);
			});
		}
		expect(offenders).toEqual([]);
	});

	it('the check sees every way of importing', () => {
		for (const line of [
			"import {JWT} from 'google-auth-library';",
			"import type {AuthClient} from 'google-auth-library';",
			"const {GaxiosError} = await import('gaxios');",
			"const m = require('gcp-metadata');",
			"export {OAuth2Client} from 'google-auth-library/build/src/auth/oauth2client';",
		]) {
			expect(library.test(line)).toBe(true);
		}
		expect(library.test('// loading google-auth-library costs a one-shot command more than the request')).toBe(false);
	});
});
