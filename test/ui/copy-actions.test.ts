import {execFileSync} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {copyPayload, curlCommand} from '../../src/ui/copy-actions.js';

// The copied curl command is run by a real sh, with `curl` replaced by a script that prints its arguments: whatever the
// token and audience hold, the shell must hand curl exactly them, and run nothing else.
const bin = mkdtempSync(join(tmpdir(), 'tokscope-fake-curl-'));
writeFileSync(join(bin, 'curl'), '#!/bin/sh\nfor arg in "$@"; do printf "%s\\0" "$arg"; done\n');
chmodSync(join(bin, 'curl'), 0o755);
afterAll(() => rmSync(bin, {recursive: true, force: true}));

/** The arguments `sh -c COMMAND` gave to curl. */
function argumentsOf(command: string): string[] {
	const output = execFileSync('sh', ['-c', command], {env: {PATH: `${bin}:/usr/bin:/bin`}, cwd: bin, encoding: 'utf8'});
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
	it('hands curl exactly the header and the audience, whatever they hold (sh -c, curl replaced)', () => {
		fc.assert(
			fc.property(anyText, anyText, (token, audience) => {
				expect(argumentsOf(curlCommand(token, 'id', audience))).toEqual(['-H', `Authorization: Bearer ${token}`, audience]);
			}),
			{numRuns: 150},
		);
		expect(argumentsOf(curlCommand("ya29.x'$(id)", 'access', undefined))).toEqual([
			'-X',
			'POST',
			'-H',
			"Authorization: Bearer ya29.x'$(id)",
			'https://oauth2.googleapis.com/tokeninfo',
		]);
	});

	it('runs nothing a token says, even a signature of sig$(id>FILE)', () => {
		const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig$(id>PWNED)`touch PWNED2`';
		expect(argumentsOf(curlCommand(token, 'id', 'https://svc.run.app'))[1]).toBe(`Authorization: Bearer ${token}`);
		expect(() => execFileSync('ls', [join(bin, 'PWNED')], {stdio: 'ignore'})).toThrow();
		expect(() => execFileSync('ls', [join(bin, 'PWNED2')], {stdio: 'ignore'})).toThrow();
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
			text: `curl -X POST -H 'Authorization: Bearer ya29.abc' http://127.0.0.1:9/tokeninfo`,
			what: 'a curl command asking tokeninfo (http://127.0.0.1:9/tokeninfo) about the access token',
		});
		expect(copyPayload('curl', {token: 'ya29.abc', type: 'access', audience: undefined, claims: null})).toMatchObject({
			text: expect.stringContaining('https://oauth2.googleapis.com/tokeninfo'),
		});
	});

	it('quotes an audience with shell characters', () => {
		const token = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.e30.c2ln`;
		expect(copyPayload('curl', {token, type: 'id', audience: "https://x.run.app/?a=1&b='2'", claims: {}})).toMatchObject({
			text: `curl -H 'Authorization: Bearer ${token}' 'https://x.run.app/?a=1&b='\\''2'\\'''`,
		});
	});
});
