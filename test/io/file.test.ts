import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, rm, truncate, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {TokscopeError} from '../../src/core/errors.js';
import {readUserFile} from '../../src/io/file.js';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tokscope-file-'));
});
afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

const sentence = async (work: Promise<unknown>) => {
	const error = await work.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(TokscopeError);
	return (error as TokscopeError).message;
};

describe('readUserFile', () => {
	it('reads a regular file as text', async () => {
		const path = join(dir, 'key.json');
		await writeFile(path, '{"keys": []}\n');
		expect(await readUserFile(path)).toBe('{"keys": []}\n');
	});

	it('names the file in each failure, in one sentence', async () => {
		const missing = join(dir, 'missing.json');
		expect(await sentence(readUserFile(missing, {what: 'The key file'}))).toBe(`The key file ${missing} does not exist.`);
		const folder = join(dir, 'folder');
		await mkdir(folder);
		expect(await sentence(readUserFile(folder, {what: 'The key file'}))).toBe(
			`The key file ${folder} is not a regular file (it is a directory), so it was not read.`,
		);
	});

	it.skipIf(!existsSync('/usr/bin/mkfifo'))(
		'refuses a FIFO with no writer at once instead of waiting for ever',
		{tags: ['timing']},
		async () => {
			const fifo = join(dir, 'fifo');
			execFileSync('mkfifo', [fifo]);
			const started = performance.now();
			expect(await sentence(readUserFile(fifo, {what: 'The key file'}))).toBe(
				`The key file ${fifo} is not a regular file (it is a named pipe (FIFO)), so it was not read.`,
			);
			expect(performance.now() - started).toBeLessThan(1000);
		},
	);

	it.skipIf(!existsSync('/dev/urandom'))('refuses a device that never ends, without reading it', {tags: ['timing']}, async () => {
		const started = performance.now();
		expect(await sentence(readUserFile('/dev/urandom'))).toBe(
			'The file /dev/urandom is not a regular file (it is a device), so it was not read.',
		);
		expect(performance.now() - started).toBeLessThan(1000);
	});

	it('refuses a file over the limit (1 MiB unless told), without reading it', async () => {
		const huge = join(dir, 'huge.json');
		await writeFile(huge, '');
		await truncate(huge, 2 * 1024 * 1024);
		expect(await sentence(readUserFile(huge, {what: 'The credential file'}))).toBe(
			`The credential file ${huge} holds more than 1 MiB, far more than it should, so it was not read.`,
		);
		const small = join(dir, 'small.json');
		await writeFile(small, 'x'.repeat(2000));
		expect(await sentence(readUserFile(small, {maxBytes: 1024}))).toMatch(/holds more than 1 KiB/);
	});
});
