import {execFile, execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {copyPayload, curlCommand} from '../../src/ui/copy-actions.js';

const dir = mkdtempSync(join(tmpdir(), 'tokscope-copied-curl-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** The words `sh -c COMMAND` hands to the program it runs, read by a shell function standing where curl's name was. */
function argumentsOf(command: string): string[] {
	const words = command.replace(/^curl /, '');
	const script = `words() { for arg in "$@"; do printf "%s\\0" "$arg"; done; }; words ${words}`;
	const output = execFileSync('sh', ['-c', script], {env: {PATH: '/usr/bin:/bin'}, cwd: dir, encoding: 'utf8'});
	return output.split('\0').slice(0, -1);
}

// argv cannot hold NUL; everything else a hostile server or user could put in a string is fair game.
const anyText = fc
	.string({
		unit: fc.oneof(
			fc.constantFrom("'", '"', '$', '(', ')', '`', '\\', ';', '&', '|', '\n', ' ', '*', '-', '!', '#', '~'),
			fc.string({unit: 'binary', maxLength: 1}),
		),
	})
	.map(text => text.replaceAll('\0', ''));

describe('the curl command `u` copies', () => {
	it('hands curl exactly the header and the audience, whatever they hold (sh -c, its words read back)', () => {
		fc.assert(
			fc.property(anyText, anyText, (token, audience) => {
				expect(argumentsOf(curlCommand(token, 'id', audience))).toEqual(['-H', `Authorization: Bearer ${token}`, '--', audience]);
			}),
			{numRuns: 150},
		);
		expect(argumentsOf(curlCommand("ya29.x'$(id)", 'access', undefined))).toEqual([
			'-X',
			'POST',
			'-H',
			"Authorization: Bearer ya29.x'$(id)",
			'--',
			'https://oauth2.googleapis.com/tokeninfo',
		]);
	});

	it('runs nothing a token says, even a signature of sig$(id>FILE)', () => {
		const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig$(id>PWNED)`touch PWNED2`';
		expect(argumentsOf(curlCommand(token, 'id', 'https://svc.run.app'))[1]).toBe(`Authorization: Bearer ${token}`);
		expect(existsSync(join(dir, 'PWNED'))).toBe(false);
		expect(existsSync(join(dir, 'PWNED2'))).toBe(false);
	});

	it('is never built around a token that is not well-formed, and says so instead', () => {
		const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig$(id>/tmp/PWNED)';
		expect(copyPayload('curl', {token, type: 'id', audience: 'https://svc.run.app', claims: null})).toBe(
			'The ID token is not well-formed (a JWT whose parts are not all base64url), so it was not put in a shell command.',
		);
		expect(copyPayload('header', {token: 'ya29.\u001B[2J', type: 'access', audience: undefined, claims: null})).toMatch(
			/^The access token is not well-formed/,
		);
	});

	it('names a hostile audience in the confirmation without letting its escapes reach the terminal', () => {
		const token = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.e30.c2ln`;
		const payload = copyPayload('curl', {token, type: 'id', audience: 'https://x\u001B[2J.example', claims: null});
		expect(payload).toMatchObject({what: 'a curl command calling https://x\\u001b[2J.example with the ID token'});
	});
});

describe('what the copy keys put on the clipboard', () => {
	it('sends an access token’s curl to the tokeninfo it is given (the emulator’s in the demo), quoted for the shell', () => {
		const payload = copyPayload('curl', {
			token: 'ya29.abc',
			type: 'access',
			audience: undefined,
			claims: null,
			tokenInfoUrl: 'http://127.0.0.1:9/tokeninfo',
		});
		expect(payload).toEqual({
			text: `curl -X POST -H 'Authorization: Bearer ya29.abc' -- http://127.0.0.1:9/tokeninfo`,
			what: 'a curl command asking tokeninfo (http://127.0.0.1:9/tokeninfo) about the access token',
		});
		expect(copyPayload('curl', {token: 'ya29.abc', type: 'access', audience: undefined, claims: null})).toMatchObject({
			text: expect.stringContaining('https://oauth2.googleapis.com/tokeninfo'),
		});
	});

	it('quotes an audience with shell characters', () => {
		const token = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.e30.c2ln`;
		expect(copyPayload('curl', {token, type: 'id', audience: "https://x.run.app/?a=1&b='2'", claims: {}})).toMatchObject({
			text: `curl -H 'Authorization: Bearer ${token}' -- 'https://x.run.app/?a=1&b='\\''2'\\'''`,
		});
	});
});

describe('the copied curl command, run by the real curl', () => {
	// Every request curl makes goes to this recorder as its proxy (all_proxy), so nothing it is told can leave loopback
	// and the test sees exactly what curl sent: the request line names the URL curl took the audience for.
	let recorder: Server;
	let proxy: string;
	const seen: Array<{line: string; authorization?: string}> = [];
	beforeAll(async () => {
		recorder = createServer((request, response) => {
			seen.push({line: `${request.method} ${request.url}`, authorization: request.headers.authorization});
			response.end('ok\n');
		});
		await new Promise<void>(done => recorder.listen(0, '127.0.0.1', done));
		proxy = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
	});
	afterAll(async () => new Promise(done => recorder.close(done)));

	const token = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.e30.c2ln`;
	/** Pastes the command into sh as a user would, with the real curl from PATH; curl's exit status. */
	function run(command: string): Promise<number> {
		const env = {PATH: '/usr/bin:/bin', HOME: dir, all_proxy: proxy, http_proxy: proxy, https_proxy: proxy};
		return new Promise(done => {
			const child = execFile('sh', ['-c', command], {env, cwd: dir, timeout: 10_000}, () => done(child.exitCode ?? -1));
		});
	}

	it('calls the audience with the token', async () => {
		seen.length = 0;
		expect(await run(curlCommand(token, 'id', `${proxy}/hello`))).toBe(0);
		expect(seen).toEqual([{line: `GET ${proxy}/hello`, authorization: `Bearer ${token}`}]);
		seen.length = 0;
		expect(await run(curlCommand('ya29.abc', 'access', undefined, `${proxy}/tokeninfo`))).toBe(0);
		expect(seen).toEqual([{line: `POST ${proxy}/tokeninfo`, authorization: 'Bearer ya29.abc'}]);
	});

	it('never reads an audience as an option: --config, -K, -o and --output stay a URL', async () => {
		// A config file that, if curl read it, would make a request the recorder sees and write a file.
		const config = join(dir, 'evil.curlrc');
		writeFileSync(config, `url = "${proxy}/config-was-read"\noutput = "${join(dir, 'written-by-config')}"\n`);
		const audiences = [
			`--config=${config}`,
			`-K${config}`,
			`-K`,
			`-o${join(dir, 'written-by-o')}`,
			`--output=${join(dir, 'written-by-output')}`,
			`-Owritten-by-O`,
			'--next',
		];
		seen.length = 0;
		for (const audience of audiences) {
			const command = curlCommand(token, 'id', audience);
			await run(`${command} ${proxy}/after`);
		}
		expect(seen.map(request => request.line).filter(line => line.includes('config-was-read'))).toEqual([]);
		for (const name of ['written-by-config', 'written-by-o', 'written-by-output', 'written-by-O'])
			expect(existsSync(join(dir, name))).toBe(false);
		// What curl did send, the audience taken as a URL, always carried the token.
		for (const request of seen) expect(request.authorization).toBe(`Bearer ${token}`);
	});
});
