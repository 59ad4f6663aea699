import {existsSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {PassThrough} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseInstant, readSecret} from '../../src/commands/inspect-options.js';
import {runCli} from '../support/cli.js';
import {testTerminal} from '../support/terminal.js';

describe('--at', () => {
	it('takes RFC 3339 instants with Z, an offset or fractions, and Unix seconds', () => {
		expect(parseInstant('2011-03-22T18:43:00Z').toISOString()).toBe('2011-03-22T18:43:00.000Z');
		expect(parseInstant('2011-03-22T20:43:00+02:00').toISOString()).toBe('2011-03-22T18:43:00.000Z');
		expect(parseInstant('2011-03-22 18:43:00.250z').toISOString()).toBe('2011-03-22T18:43:00.250Z');
		expect(parseInstant('1300819380').toISOString()).toBe('2011-03-22T18:43:00.000Z');
		expect(parseInstant(' 1300819380.5 ').toISOString()).toBe('2011-03-22T18:43:00.500Z');
	});

	it('refuses a time without a zone (it would depend on this machine’s), and nonsense, in one sentence', () => {
		const sentence = /^--at takes an RFC 3339 instant such as 2011-03-22T18:43:00Z \(with Z or an offset\) or Unix seconds, not ".*"\.$/;
		for (const bad of ['2011-03-22T18:43:00', '2011-03-22', 'yesterday', '14:02', '']) expect(() => parseInstant(bad)).toThrow(sentence);
		expect(() => parseInstant('2011-02-30T25:00:00Z')).toThrow('--at "2011-02-30T25:00:00Z" is not a time that exists.');
		expect(() => parseInstant('1e400')).toThrow(sentence);
	});
});

describe('the shared secret', () => {
	// No terminal at all: a secret asked of standard input here would be a mistake.
	const none = testTerminal().terminal;
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'tokscope-secret-'));
	});
	afterAll(() => rm(dir, {recursive: true, force: true}));
	const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

	it('is text by default, from --secret or from a file whose one trailing newline is not part of it', async () => {
		expect(text(await readSecret({secret: 'your-256-bit-secret'}, none))).toBe('your-256-bit-secret');
		const file = join(dir, 'secret.txt');
		await writeFile(file, 'your-256-bit-secret \n');
		expect(text(await readSecret({secretFile: file}, none))).toBe('your-256-bit-secret ');
		expect(await readSecret({}, none)).toBeUndefined();
	});

	it('is decoded from base64 (standard or URL-safe, padded or not) as jwt.io’s checkbox does', async () => {
		const bytes = Buffer.from([0xfb, 0xff, 0x01, 0x02]);
		for (const written of ['+/8BAg==', '-_8BAg', '+/8B\nAg==']) {
			expect(Buffer.from((await readSecret({secret: written, secretEncoding: 'base64'}, none))!)).toEqual(bytes);
		}
		await expect(readSecret({secret: 'not base64!', secretEncoding: 'base64'}, none)).rejects.toThrow(
			/^The secret is not base64 \(--secret-encoding base64\)/,
		);
	});

	it('comes from standard input with -, unless the token does too', async () => {
		const stdin = new PassThrough();
		stdin.end('s3cret\n');
		expect(text(await readSecret({secretFile: '-'}, {...none, stdin: stdin as unknown as NodeJS.ReadStream}))).toBe('s3cret');
		await expect(readSecret({secretFile: '-', tokenFromStdin: true}, none)).rejects.toThrow(
			'Standard input cannot carry both the token and the secret: give the token as an argument, or the secret in a file.',
		);
	});

	it('is refused, naming the file, when the file is missing, empty, or not a regular file', async () => {
		const missing = join(dir, 'missing');
		await expect(readSecret({secretFile: missing}, none)).rejects.toThrow(`The secret file ${missing} does not exist.`);
		const empty = join(dir, 'empty');
		await writeFile(empty, '\n');
		await expect(readSecret({secretFile: empty}, none)).rejects.toThrow('The secret is empty.');
		await expect(readSecret({secretFile: dir}, none)).rejects.toThrow(
			`The secret file ${dir} is not a regular file (it is a directory), so it was not read.`,
		);
		await expect(readSecret({secret: 'a', secretFile: empty}, none)).rejects.toThrow(
			'Give the secret once: --secret or --secret-file, not both.',
		);
	});
});

describe.skipIf(!existsSync(resolve('dist/cli.js')))('inspect --help', () => {
	it('warns that --secret (and a token argument) can be read by other users, and offers --secret-file', async () => {
		const {stdout} = await runCli(['inspect', '--help']);
		expect(stdout.replace(/\s+/g, ' ')).toContain(
			'--secret <secret> shared secret for HS256/384/512 tokens; visible to other users in the process list: prefer --secret-file',
		);
		expect(stdout).toMatch(/--secret-file <file>/);
		expect(stdout).toMatch(/--secret-encoding <encoding>/);
		expect(stdout).toMatch(/--at <time>/);
	});
});
