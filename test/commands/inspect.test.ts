import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import {PassThrough} from 'node:stream';
import {promisify} from 'node:util';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {decodeToken} from '../../src/core/decode.js';
import {TokscopeError} from '../../src/core/errors.js';
import {formatLocalTime} from '../../src/core/times.js';
import type {TokenView} from '../../src/core/types.js';
import {formatInspection, inspectionJson} from '../../src/commands/inspect-format.js';
import {readTokenFromStdin} from '../../src/commands/read-input.js';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';
import {runCli} from '../support/cli.js';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const plain = (_format: unknown, text: string) => text;
// What a terminal would act on (controls other than tab and newline) or that reorders text (bidi controls).
const unsafe = /(?![\t\n])\p{Cc}|\p{Bidi_Control}/u;

const now = new Date('2026-11-22T18:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function emulatorLikeView(): TokenView {
	const iat = seconds(now) - 600;
	const token = `${b64({alg: 'RS256', kid: 'abc123', typ: 'JWT'})}.${b64({
		iss: 'http://127.0.0.1:4000',
		aud: 'https://svc.run.app',
		azp: '1234',
		sub: '1234',
		email: 'sa@demo.iam.gserviceaccount.com',
		iat,
		exp: iat + 3130,
	})}.c2ln`;
	return {
		...decodeToken(token),
		verification: {
			status: 'valid',
			code: 'verified',
			reason: 'Signature verified.',
			issuer: 'http://127.0.0.1:4000',
			keyId: 'abc123',
			google: false,
		},
	};
}

describe('inspect’s human view', () => {
	it('names the kind, the verdict with issuer and key id, and explains every known claim', () => {
		const text = formatInspection(emulatorLikeView(), now, plain);
		expect(text.split('\n')[0]).toMatch(/^ID token \(OpenID Connect JWT\) — a signed JWT .* for one audience/);
		expect(text).toMatch(/signature\s+✓ valid — Signature verified\./);
		expect(text).toMatch(/issuer\s+http:\/\/127\.0\.0\.1:4000 \(not Google\)/);
		const stand = emulatorLikeView();
		const named = formatInspection({...stand, verification: {...stand.verification, testIssuer: true}}, now, plain);
		expect(named).toMatch(/issuer\s+http:\/\/127\.0\.0\.1:4000 \(a test issuer standing in for Google\)/);
		expect(text).toMatch(/key id\s+abc123/);
		for (const claim of ['aud', 'azp', 'sub', 'email', 'iat', 'exp']) expect(text).toMatch(new RegExp(`\\n  ${claim}\\s+.*\\n\\s+[A-Z]`));
	});

	it('shows times in local wall-clock time and relative to now', () => {
		const view = emulatorLikeView();
		const text = formatInspection(view, now, plain);
		expect(text).toContain(`issued      ${formatLocalTime(view.issuedAt!)} (10m 00s ago)`);
		expect(text).toContain(`expires     ${formatLocalTime(view.expiresAt!)} (in 42m 10s)`);
		expect(formatLocalTime(view.expiresAt!)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
	});

	it('describes an opaque access token without pretending to decode it', () => {
		const text = formatInspection(decodeToken(`ya29.${'a'.repeat(80)}`), now, plain);
		expect(text).toMatch(/^Google access token \(opaque\) — an opaque bearer for OAuth scopes; it cannot be decoded locally/);
		expect(text).toContain('--tokeninfo');
		expect(text).not.toContain('claims');
	});

	it('never lets escape sequences or controls from header or claims reach the terminal', () => {
		const hostile = fc.string({
			unit: fc.constantFrom('\u001B', ']', '5', '2', ';', '\u0007', '\u009B', '\u202E', '\r', '\n', 'a', '[', 'J'),
		});
		fc.assert(
			fc.property(hostile, hostile, hostile, (name, value, kid) => {
				const token = `${b64({alg: 'RS256', kid})}.${b64({[name]: value, sub: value, iss: value})}.c2ln`;
				const view = {
					...decodeToken(token),
					verification: {
						status: 'invalid' as const,
						code: 'bad-signature' as const,
						reason: value,
						issuer: value,
						keyId: kid,
						google: false,
					},
				};
				const lines = formatInspection(view, now, plain).split('\n');
				for (const line of lines) expect(line).not.toMatch(unsafe);
			}),
			{numRuns: 500},
		);
	});
});

describe('inspect --json', () => {
	it('has exactly the promised shape, with null for what an opaque token cannot say', () => {
		const json = JSON.parse(inspectionJson(decodeToken(`ya29.${'b'.repeat(60)}`))) as Record<string, unknown>;
		expect(json).toEqual({
			kind: 'google-access-token',
			header: null,
			claims: null,
			issuedAt: null,
			expiresAt: null,
			verification: {
				status: 'unverified',
				reason: expect.any(String),
				issuer: null,
				keyId: null,
				signature: {status: 'unverified', reason: expect.any(String)},
			},
		});
	});

	it('gives times as ISO strings and the verdict’s issuer and key id', () => {
		const json = JSON.parse(inspectionJson(emulatorLikeView())) as {issuedAt: string; expiresAt: string; verification: object};
		expect(json.issuedAt).toBe(new Date((seconds(now) - 600) * 1000).toISOString());
		expect(Date.parse(json.expiresAt) - Date.parse(json.issuedAt)).toBe(3_130_000);
		expect(json.verification).toEqual({
			status: 'valid',
			reason: 'Signature verified.',
			issuer: 'http://127.0.0.1:4000',
			keyId: 'abc123',
			signature: {status: 'valid', reason: 'Signature verified.'},
		});
	});
});

describe('inspect on any decodable token', () => {
	it('formats both views without throwing, whatever the header and claims hold (huge or negative times too)', () => {
		const times = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e20, -1e20, 8.64e12, Number.MAX_VALUE));
		fc.assert(
			fc.property(fc.dictionary(fc.string(), fc.jsonValue()), times, times, fc.jsonValue(), (claims, exp, iat, kid) => {
				const token = `${b64({alg: 'RS256', kid})}.${b64({...claims, exp, iat, nbf: exp})}.c2ln`;
				const view = decodeToken(token);
				const text = formatInspection(view, now, plain);
				expect(text).not.toMatch(unsafe);
				expect(text).not.toMatch(/NaN-NaN|NaN:NaN|Invalid Date/);
				const json = JSON.parse(inspectionJson(view)) as {expiresAt: string | null};
				expect(json.expiresAt === null || !Number.isNaN(Date.parse(json.expiresAt))).toBe(true);
			}),
			{numRuns: 1000},
		);
	});

	it('refuses a ya29. prefix followed by anything but token characters', () => {
		expect(() => decodeToken('ya29.abc\u001B]52;c;eA==\u0007def')).toThrow(TokscopeError);
	});
});

describe('inspect --json on hostile claims', () => {
	it('escapes C1 and bidi controls too, and parses back to the same claims', () => {
		const sneaky = 'a\u009B2Jb\u202Ec\u001B[31md';
		const view = decodeToken(`${b64({alg: 'RS256'})}.${b64({sub: sneaky})}.c2ln`);
		const text = inspectionJson(view);
		expect(text).not.toMatch(unsafe);
		expect((JSON.parse(text) as {claims: {sub: string}}).claims.sub).toBe(sneaky);
	});
});

describe('reading the token from stdin', () => {
	it('on a terminal reads a paste until Ctrl-D in raw mode (nothing echoed, wrapped lines joined, backspace honoured)', async () => {
		const modes: boolean[] = [];
		const tty = Object.assign(new PassThrough(), {
			isTTY: true,
			isRaw: false,
			setRawMode(raw: boolean) {
				modes.push(raw);
				this.isRaw = raw;
				return this;
			},
		}) as unknown as NodeJS.ReadStream;
		const stderr = new PassThrough();
		let prompt = '';
		stderr.on('data', chunk => (prompt += String(chunk)));
		const reading = readTokenFromStdin(tty, stderr);
		tty.write('eyJhbGciOiJSUzI1NiJ9.\r');
		tty.write('eyJzdWIiOiJ4In0.c2lnX\u007f\u0004ignored after Ctrl-D');
		expect(await reading).toBe('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
		expect(modes).toEqual([true, false]);
		expect(prompt).toMatch(/^Paste the token, then press Ctrl-D \(it is not shown; Ctrl-C cancels\): /);
		expect(prompt).not.toContain('eyJ');
	});

	it('stops reading a paste far larger than any token', async () => {
		const tty = Object.assign(new PassThrough(), {isTTY: true}) as unknown as NodeJS.ReadStream;
		const reading = readTokenFromStdin(tty, new PassThrough());
		tty.write('a'.repeat(300 * 1024));
		await expect(reading).rejects.toThrow(/^What was pasted holds more than 256 KiB, far more than the token; reading stopped there\.$/);
	});

	it('reads a piped token', async () => {
		const pipe = new PassThrough();
		pipe.end('ya29.abc\n');
		expect(await readTokenFromStdin(pipe as unknown as NodeJS.ReadStream, new PassThrough())).toBe('ya29.abc\n');
	});
});

// Colour is for people at a terminal: a real pty (util-linux `script`) shows whether NO_COLOR is honoured.
const run = promisify(execFile);
const canPty = existsSync('/usr/bin/script') && existsSync(resolve('dist/cli.js'));

describe.skipIf(!canPty)('colour in a real terminal', () => {
	const token = `${b64({alg: 'RS256'})}.${b64({iss: 'https://auth.example.com', sub: 'x'})}.c2ln`;
	const inPty = async (extraEnv: NodeJS.ProcessEnv) => {
		const command = `'${process.execPath}' '${resolve('dist/cli.js')}' inspect '${token}' --no-verify`;
		const {stdout} = await run('script', ['-qec', command, '/dev/null'], {
			env: {PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', ...extraEnv},
			timeout: 20_000,
		});
		return stdout;
	};

	it('colours the verdict at a terminal and prints plain text under NO_COLOR', async () => {
		expect(await inPty({})).toContain('\u001B[');
		const uncoloured = await inPty({NO_COLOR: '1'});
		expect(uncoloured).toContain('? unverified');
		expect(uncoloured).not.toContain('\u001B');
	});
});

describe.skipIf(!existsSync(resolve('dist/cli.js')))('the built inspect command', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await startEmulator();
	});
	afterAll(async () => {
		await emulator.close();
	});
	const env = () => ({CLOUDSDK_API_ENDPOINT_OVERRIDES_OAUTH2: `${emulator.url}/`});
	const idToken = async () =>
		(
			await fetch(`${emulator.url}/computeMetadata/v1/instance/service-accounts/default/identity?audience=https%3A%2F%2Fsvc.run.app`, {
				headers: {'Metadata-Flavor': 'Google'},
			})
		).text();

	it('classifies a token one way in --json and in text: the emulator’s ID token is an ID token, not Google’s', async () => {
		const token = await idToken();
		const [json, text] = await Promise.all([runCli(['inspect', token, '--json']), runCli(['inspect', token])]);
		expect(JSON.parse(json.stdout)).toMatchObject({kind: 'id-token', verification: {status: 'valid', issuer: emulator.url}});
		expect(text.stdout).toContain(`${emulator.url} (not Google)`);
		expect(text.stdout.split('\n')[0]).toMatch(/^ID token \(OpenID Connect JWT\) — .*from an issuer other than Google/);
	});

	it('keeps --json one parseable document when --tokeninfo adds Google’s answer', async () => {
		const access = (await (
			await fetch(`${emulator.url}/computeMetadata/v1/instance/service-accounts/default/token`, {headers: {'Metadata-Flavor': 'Google'}})
		).json()) as {access_token: string};
		const result = await runCli(['inspect', access.access_token, '--json', '--tokeninfo'], {env: env()});
		expect(result.code).toBe(0);
		const json = JSON.parse(result.stdout) as {kind: string; tokeninfo: {endpoint: string; answer: {email: string; expires_in: string}}};
		expect(json.kind).toBe('google-access-token');
		expect(json.tokeninfo.endpoint).toBe(`${emulator.url}/tokeninfo`);
		expect(json.tokeninfo.answer.email).toBe(emulator.serviceAccountEmail);
		expect(Number(json.tokeninfo.answer.expires_in)).toBeGreaterThan(3000);
	});

	it('asks tokeninfo about an ID token on request and shows Google’s answer: its claims, as strings', async () => {
		const result = await runCli(['inspect', await idToken(), '--json', '--tokeninfo'], {env: env()});
		expect(result.code).toBe(0);
		const json = JSON.parse(result.stdout) as {kind: string; tokeninfo: {answer: Record<string, string>}};
		expect(json.kind).toBe('id-token');
		expect(json.tokeninfo.answer).toMatchObject({aud: 'https://svc.run.app', iss: emulator.url, alg: 'RS256'});
		expect(typeof json.tokeninfo.answer.exp).toBe('string');
	});

	it('shows claims nested 6,000 deep cut at 64 levels, in both views, instead of crashing', async () => {
		const claims = `{"iss":"https://auth.example.com","sub":"x","deep":${'['.repeat(6000)}${']'.repeat(6000)}}`;
		const deep = `${b64({alg: 'RS256'})}.${b64(claims)}.c2ln`;
		for (const args of [
			['inspect', deep, '--no-verify'],
			['inspect', deep, '--no-verify', '--json'],
		]) {
			const result = await runCli(args);
			expect(result.stderr).not.toMatch(/stack|unexpected error/i);
			expect(result.stdout).toContain('…nested deeper than 64 levels');
		}
	});

	it('says tokeninfo refused the connection, rather than that it could not answer within 10 s', async () => {
		const closed = await startEmulator();
		const endpoint = `${closed.url}/`;
		await closed.close();
		const result = await runCli(['inspect', `ya29.${'a'.repeat(60)}`, '--tokeninfo'], {
			env: {CLOUDSDK_API_ENDPOINT_OVERRIDES_OAUTH2: endpoint},
		});
		expect(result.code).not.toBe(0);
		expect(result.stderr).toContain(`tokeninfo at ${endpoint}tokeninfo refused the connection.`);
		expect(result.stderr).not.toMatch(/within/);
	});

	it('never crashes on random input: exit 0 or 1, no stack trace, no escape sequence, the input never echoed', async () => {
		const noise = fc.oneof(
			fc.string({unit: 'binary', maxLength: 300}),
			fc.base64String({maxLength: 200}).map(text => `eyJ${text}.${text}.${text}`),
			fc.tuple(fc.constantFrom('none', 'HS256', 'RS256', 'ES256'), fc.jsonValue()).map(([alg, json]) => `${b64({alg})}.${b64(json)}.c2ln`),
		);
		await fc.assert(
			fc.asyncProperty(noise, async input => {
				const result = await runCli(['inspect', '-', '--no-verify'], {env: env(), input});
				expect([0, 1]).toContain(result.code);
				expect(result.stderr).not.toMatch(/\n\s+at .+:\d+|node:internal|TypeError|RangeError/);
				// eslint-disable-next-line no-control-regex -- an escape other than a colour (SGR) one is what must never get out
				expect(`${result.stdout}${result.stderr}`).not.toMatch(/\u001B(?!\[[0-9;]*m)/);
				if (result.code === 1 && input.trim().length > 12) expect(result.stderr).not.toContain(input.trim());
			}),
			{numRuns: 25},
		);
	}, 60_000);

	it('names a --key file it cannot use in one sentence and exits non-zero', async () => {
		const token = await idToken();
		const result = await runCli(['inspect', token, '--key', '/nonexistent/key.pem'], {env: env()});
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe('tokscope: The key file /nonexistent/key.pem does not exist.\n');
	});

	it('verifies against an explicit --jwks-uri and shows the key id', async () => {
		const token = await idToken();
		const result = await runCli(['inspect', token, '--jwks-uri', `${emulator.url}/oauth2/v3/certs`], {env: env()});
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/signature\s+✓ valid — Signature verified with the keys at http/);
		expect(result.stdout).toMatch(/key id\s+\S+/);
	});
});
