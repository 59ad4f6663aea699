import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {verifyToken} from '../../src/verify/verify.js';
import {runCli} from '../support/cli.js';

// Tests nobody here wrote: the published examples of RFC 7515 (JWS, appendix A), RFC 7520 (the JOSE cookbook, section 4)
// and RFC 8037 (EdDSA, appendix A.4), copied into test/fixtures/rfc with the section each comes from.

interface RfcExample {
	rfc: string;
	section: string;
	title: string;
	alg: string;
	/** `json`: a JWT claim set; `text`: a JWS whose payload is not JSON. */
	payload: 'json' | 'text';
	token: string;
	/** The public key (or, for HS256, the shared secret) as a JWK. */
	key: Record<string, string>;
	/** An instant inside its validity, for those with an exp; null when it has no times. */
	validAt: string | null;
	expiresAt?: string;
}

const fixtureDir = resolve('test/fixtures/rfc');
const examples = readdirSync(fixtureDir)
	.filter(name => name.endsWith('.json'))
	.map(name => ({name, ...(JSON.parse(readFileSync(join(fixtureDir, name), 'utf8')) as RfcExample)}));

/** The token with one byte of its signature changed (decoded, flipped, encoded again: a base64url character can hide unused bits). */
function tampered(token: string): string {
	const [header, payload, signature] = token.split('.') as [string, string, string];
	const bytes = Buffer.from(signature, 'base64url');
	bytes[bytes.length >> 1]! ^= 0x01;
	return `${header}.${payload}.${bytes.toString('base64url')}`;
}

let dir: string;
const keyFile = (name: string) => join(dir, `${name}.jwk`);
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tokscope-rfc-'));
	for (const example of examples) await writeFile(keyFile(example.name), JSON.stringify(example.key));
});
afterAll(() => rm(dir, {recursive: true, force: true}));

describe('the published examples', () => {
	it('cover every algorithm the issue names', () => {
		expect(examples.map(example => `${example.rfc} ${example.section} ${example.alg}`).sort()).toEqual([
			'RFC 7515 Appendix A.1 HS256',
			'RFC 7515 Appendix A.2 RS256',
			'RFC 7515 Appendix A.3 ES256',
			'RFC 7515 Appendix A.4 ES512',
			'RFC 7520 Section 4.1 RS256',
			'RFC 7520 Section 4.2 PS384',
			'RFC 7520 Section 4.3 ES512',
			'RFC 7520 Section 4.4 HS256',
			'RFC 8037 Appendix A.4 EdDSA',
		]);
	});

	describe.each(examples)('$rfc $section ($alg, $title)', example => {
		const at = example.validAt ? new Date(example.validAt) : undefined;

		it('verifies with its key, and is valid at an instant inside its validity', async () => {
			const verdict = await verifyToken(example.token, {keyFile: keyFile(example.name), now: at});
			expect(verdict).toMatchObject({status: 'valid'});
			expect(verdict.reason).toMatch(/^Signature verified with the key in /);
			if (example.payload === 'text')
				expect(verdict.reason).toContain('the payload is not a JSON claim set, so there are no times to check');
		});

		it('fails with one byte of the signature changed', async () => {
			const verdict = await verifyToken(tampered(example.token), {keyFile: keyFile(example.name), now: at});
			expect(verdict).toMatchObject({status: 'invalid'});
			expect(verdict.reason).toMatch(/^The signature does not match the key in .*: the token was altered or signed by someone else\.$/);
		});

		it.runIf(example.expiresAt)('is expired when judged now, as it is', async () => {
			const verdict = await verifyToken(example.token, {keyFile: keyFile(example.name)});
			expect(verdict).toMatchObject({status: 'invalid'});
			expect(verdict.reason).toMatch(/^The signature is good but the token expired /);
		});
	});
});

// The same through the built CLI, with the secret given the ways a user would.
describe.skipIf(!existsSync(resolve('dist/cli.js')))('the examples through tokscope inspect', () => {
	const a1 = () => examples.find(example => example.name.startsWith('rfc7515-A.1'))!;

	it('RFC 7515 A.1 with its secret as base64 from a file, judged --at 2011-03-22T18:00:00Z', async () => {
		const secretFile = join(dir, 'a1.secret');
		await writeFile(secretFile, `${a1().key.k}\n`);
		const result = await runCli([
			'inspect',
			a1().token,
			'--secret-file',
			secretFile,
			'--secret-encoding',
			'base64',
			'--at',
			'2011-03-22T18:00:00Z',
		]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^signature\s+✓ valid — Signature verified with the shared secret you gave\.$/m);
		expect(result.stdout).toMatch(
			/^judged at\s+2011-03-22 \d\d:\d\d:\d\d \(--at 2011-03-22T18:00:00\.000Z: every time below is judged at this instant, not now\)$/m,
		);
		expect(result.stdout).toMatch(/^expires\s+.*\(in 43m 00s\)$/m);
	});

	it('RFC 7515 A.1 with its secret on standard input and the time as Unix seconds; wrong secret or no --at is invalid', async () => {
		const stdin = await runCli(
			['inspect', a1().token, '--secret-file', '-', '--secret-encoding', 'base64', '--at', '1300819000', '--json'],
			{input: a1().key.k},
		);
		expect(stdin.code).toBe(0);
		expect(JSON.parse(stdin.stdout)).toMatchObject({verification: {status: 'valid'}, judgedAt: '2011-03-22T18:36:40.000Z'});
		const wrong = await runCli(['inspect', a1().token, '--secret-file', '-', '--at', '1300819000'], {input: a1().key.k});
		expect(wrong.code).toBe(1);
		expect(wrong.stdout).toMatch(/✗ invalid — The signature does not match the shared secret you gave/);
		const now = await runCli(['inspect', a1().token, '--key', keyFile(a1().name)]);
		expect(now.code).toBe(1);
		expect(now.stdout).toMatch(/✗ invalid — The signature is good but the token expired /);
	});

	it('RFC 7520 4.4, a JWS whose payload is text: says so in words and shows the text', async () => {
		const example = examples.find(candidate => candidate.name.startsWith('rfc7520-4.4'))!;
		const result = await runCli(['inspect', example.token, '--key', keyFile(example.name)]);
		expect(result.code).toBe(0);
		expect(result.stdout.split('\n')[0]).toBe(
			'JWS (signed, not a JWT) — its payload is not a JSON claim set, so it has no claims or times; it is shown ' +
				'as text below, and the signature can still be checked with its key.',
		);
		expect(result.stdout).toContain('\npayload (text, not JSON)\n  It’s a dangerous business, Frodo, going out your door.');
		const json = JSON.parse((await runCli(['inspect', example.token, '--key', keyFile(example.name), '--json'])).stdout) as Record<
			string,
			unknown
		>;
		expect(json).toMatchObject({
			claims: null,
			payload: expect.stringMatching(/^It’s a dangerous business/),
			verification: {status: 'valid'},
		});
	});
});
