import {spawn} from 'node:child_process';
import {mkdir} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {describe, expect, it} from 'vitest';
import {loopbackOnly, runCli} from '../support/cli.js';
import {useFixture} from '../support/fixture.js';

// What the user typed, or their environment holds, is shown like anything else from outside: escapes and invisible
// characters made visible, never sent raw to the terminal, whether on stderr, in the emulator's banner or in JSON.

const fixture = useFixture();
/** Everything a terminal acts on or draws as nothing: controls but the line feed, format characters, ignorables. */
const raw = /(?!\n)[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\u2800]/u;
const hostile = 'a\u001B[2J\u202Eb\uFE0F';

/** Starts `tokscope emulator` and returns what it printed before it stopped (at its banner's end, or on exit). */
function emulatorOutput(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = spawn(process.execPath, [resolve('dist/cli.js'), 'emulator', ...args], {
		env: {PATH: process.env.PATH, NODE_OPTIONS: loopbackOnly, ...env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', chunk => {
		stdout += chunk;
		if (stdout.includes('Press Ctrl-C to stop.')) child.kill('SIGINT');
	});
	child.stderr.on('data', chunk => (stderr += chunk));
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	return new Promise(done =>
		child.on('close', code => {
			clearTimeout(timer);
			done({code, stdout, stderr});
		}),
	);
}

describe('the user’s own arguments and environment', () => {
	it('emulator --fail echoes its argument visibly', async () => {
		const result = await emulatorOutput(['--fail', `/token${hostile}=500`]);
		expect(result.stdout).toContain('Failing on purpose: /tokena\\u001b[2J\\u202eb\\ufe0f=500');
		expect(result.stdout).not.toMatch(raw);
	});

	it('emulator with escapes in TMPDIR: one sentence, shown visibly, and no export line a terminal would act on', async () => {
		const tmp = join(fixture.dir, `tmp${hostile}`);
		await mkdir(tmp, {recursive: true});
		const result = await emulatorOutput([], {TMPDIR: tmp});
		expect(result.stdout + result.stderr).not.toMatch(raw);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(
			/^tokscope: TMPDIR \(\S*tmpa\\u001b\[2J\\u202eb\\ufe0f\) holds control or invisible characters, so the emulator's export lines/,
		);
	});

	it('print-identity-token --format json escapes a bidi override and a variation selector in the audience', async () => {
		const audience = `https://svc.example/${hostile.replace('\u001B[2J', '')}`;
		const result = await runCli(['print-identity-token', '--source', 'metadata', '--audiences', audience, '--format', 'json'], {
			env: fixture.env(),
		});
		expect(result.code).toBe(0);
		expect(result.stdout).not.toMatch(raw);
		expect(result.stdout).toContain('\\u202e');
		expect((JSON.parse(result.stdout) as {audience: string}).audience).toBe(audience);
	});
});

describe('invisible characters Unicode calls default-ignorable', () => {
	const token = (claims: Record<string, unknown>) =>
		['{"alg":"RS256","kid":"k"}', JSON.stringify(claims)].map(part => Buffer.from(part).toString('base64url')).join('.') + '.c2ln';
	const now = Math.floor(Date.now() / 1000);

	it('an issuer of accounts.google.com plus U+FE0F is flagged, shown escaped, and never treated as Google', async () => {
		const issuer = 'https://accounts.google.com\uFE0F';
		const jwt = token({iss: issuer, aud: 'x', sub: '1', iat: now, exp: now + 600});
		const shown = await runCli(['inspect', jwt], {env: {NO_COLOR: '1'}});
		expect(shown.stdout).not.toMatch(raw);
		expect(shown.stdout).toMatch(/iss\s+https:\/\/accounts\.google\.com\\ufe0f\s+⚠ contains control or invisible characters/);
		const json = await runCli(['inspect', jwt, '--json']);
		expect(json.stdout).not.toMatch(raw);
		const verdict = (JSON.parse(json.stdout) as {verification: {status: string; reason: string}}).verification;
		expect(verdict.status).toBe('unverified');
		expect(verdict.reason).toMatch(/not fetched because it holds control or invisible characters/);
		expect(json.stdout + json.stderr).not.toMatch(/Google’s published keys/);
	});

	it.each(['034F', 'FE0F', 'E0100', '2800', '180B', '17B4', '3164', '061C'])('U+%s in a claim is escaped and flagged', async hex => {
		const character = String.fromCodePoint(Number.parseInt(hex, 16));
		const jwt = token({iss: 'https://issuer.example', name: `al${character}ice`, exp: now + 600});
		const shown = await runCli(['inspect', jwt, '--no-verify'], {env: {NO_COLOR: '1'}});
		const escape = hex.length > 4 ? `\\{${hex.toLowerCase()}\\}` : hex.toLowerCase();
		expect(shown.stdout).toMatch(new RegExp(`name\\s+al\\\\u${escape}ice\\s+⚠ contains control or invisible`));
		expect(shown.stdout).not.toMatch(raw);
	});
});
