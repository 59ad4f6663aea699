import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {judgeTimes} from '../../src/verify/verify.js';
import {runCli} from '../support/cli.js';

// Hostile tokens through the built inspect: what a token hides is shown and flagged, an unsigned token is not called
// signed, and a token its times make invalid exits 1 whether or not its signature could be checked.

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const token = (header: Record<string, unknown>, claims: Record<string, unknown>) => `${b64(header)}.${b64(claims)}.c2ln`;
const now = () => Math.floor(Date.now() / 1000);
// Nothing listens on port 1: the issuer's keys cannot be fetched, so the signature stays unchecked.
const env = {NO_PROXY: '*'};

describe('inspect on hostile tokens', () => {
	it('exits 1 on an expired token even with --no-verify, and says it expired', async () => {
		const expired = token({alg: 'RS256'}, {iss: 'https://issuer.example', sub: 'x', exp: now() - 600});
		const result = await runCli(['inspect', expired, '--no-verify'], {env});
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(
			/signature\s+✗ invalid — The token expired 10m 0\ds ago; its signature was not checked \(Not checked \(--no-verify\)\)\./,
		);
		const json = JSON.parse((await runCli(['inspect', expired, '--no-verify', '--json'], {env})).stdout) as {
			verification: {status: string};
		};
		expect(json.verification.status).toBe('invalid');
	});

	it('exits 1 on an expired token whose issuer cannot be reached', async () => {
		const expired = token({alg: 'RS256', kid: 'k'}, {iss: 'http://127.0.0.1:1', sub: 'x', exp: now() - 600});
		const result = await runCli(['inspect', expired], {env});
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(
			/The token expired .* ago; its signature was not checked \(The issuer’s OpenID discovery document could not be fetched \(.*refused/,
		);
	});

	it('does not call an alg: none token a signed JWT', async () => {
		const unsigned = `${b64({alg: 'none'})}.${b64({iss: 'https://issuer.example', sub: 'x', exp: now() + 600})}.`;
		const result = await runCli(['inspect', unsigned], {env});
		expect(result.stdout).toMatch(/UNSIGNED JWT \(alg: none\): anyone could have written it/);
		expect(result.stdout).not.toMatch(/a signed JWT/);
		expect(result.code).toBe(1);
	});

	it('shows and flags a zero-width space in an email and an escape in an issuer; --json escapes them too', async () => {
		const hostile = token(
			{alg: 'RS256'},
			{iss: 'https://x\u001B[2J.example', email: 'alice\u200B@example.com', sub: 'x', exp: now() + 600},
		);
		const result = await runCli(['inspect', hostile, '--no-verify'], {env});
		expect(result.stdout).toMatch(/email +alice\\u200b@example\.com +⚠ contains control or invisible characters/);
		expect(result.stdout).toMatch(/iss +https:\/\/x\\u001b\[2J\.example +⚠ contains control or invisible characters/);
		expect(result.stdout).not.toMatch(/(?!\n)\p{Cc}|\u200B/u);
		const json = await runCli(['inspect', hostile, '--no-verify', '--json'], {env});
		expect(json.stdout).not.toMatch(/(?!\n)\p{Cc}|\u200B/u);
		expect((JSON.parse(json.stdout) as {claims: {email: string}}).claims.email).toBe('alice\u200B@example.com');
	});
});

describe('judgeTimes', () => {
	it('leaves a valid or already invalid verdict alone and turns only an unverified, time-invalid one invalid', () => {
		const at = new Date('2026-01-01T00:00:00Z');
		const times = fc.record({
			expiresIn: fc.option(fc.integer({min: -86_400, max: 86_400})),
			notBeforeIn: fc.option(fc.integer({min: -86_400, max: 86_400})),
		});
		fc.assert(
			fc.property(
				times,
				fc.constantFrom('valid' as const, 'invalid' as const, 'unverified' as const),
				({expiresIn, notBeforeIn}, status) => {
					const view = {
						expiresAt: expiresIn === null ? null : new Date(at.getTime() + expiresIn * 1000),
						notBefore: notBeforeIn === null ? null : new Date(at.getTime() + notBeforeIn * 1000),
					};
					const verdict = judgeTimes({status, code: 'not-checked', reason: 'R.'}, view, at);
					const timesBad = (expiresIn !== null && expiresIn < -5) || (notBeforeIn !== null && notBeforeIn > 5);
					expect(verdict.status).toBe(status === 'unverified' && timesBad ? 'invalid' : status);
				},
			),
			{numRuns: 500},
		);
	});
});

describe('times no token has, shown the same way in inspect and the live view', () => {
	it('exp 1e308: clamped to the year 9999 and said so, never NaN or Infinity', async () => {
		const issued = now();
		const forever = token({alg: 'RS256'}, {iss: 'https://issuer.example', sub: 'x', iat: issued, exp: 1e308});
		const result = await runCli(['inspect', forever, '--no-verify'], {env});
		expect(result.stdout).not.toMatch(/NaN|Infinity/);
		expect(result.stdout).toMatch(/expires\s+9999-12-31 \d\d:\d\d:\d\d \(in \d+d \d+h\)/);
		expect(result.stdout).toContain('times       ⚠ Its exp (1.00e308) is beyond any date: taken as the year 9999');
		const json = JSON.parse((await runCli(['inspect', forever, '--no-verify', '--json'], {env})).stdout) as {expiresAt: string};
		expect(json.expiresAt).toBe('9999-12-31T23:59:59.000Z');
	});

	it('a token expired at issue (exp = iat) says so, and is invalid', async () => {
		const issued = now() - 5;
		const dead = token({alg: 'RS256'}, {iss: 'https://issuer.example', sub: 'x', iat: issued, exp: issued});
		const result = await runCli(['inspect', dead, '--no-verify'], {env});
		expect(result.stdout).toContain('clock       ⚠ This token expired at issue (exp equals iat): no service will accept it.');
	});
});
