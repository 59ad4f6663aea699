import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {expectExpiry, expectTokenShape, expiryFromLifetime, tokenShapeProblem} from '../../src/core/token-shape.js';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const idToken = `${part({alg: 'RS256', kid: 'k'})}.${part({aud: 'a', exp: 1})}.${Buffer.from('signature').toString('base64url')}`;

describe('tokenShapeProblem', () => {
	it('accepts real shapes: a Google access token, a JWT access token, an ID token', () => {
		expect(tokenShapeProblem('ya29.a0AfH6SMBx-_~+/abc==', 'access')).toBeUndefined();
		expect(tokenShapeProblem(idToken, 'access')).toBeUndefined();
		expect(tokenShapeProblem(idToken, 'id')).toBeUndefined();
	});

	it.each([
		['', 'id', 'an empty answer'],
		['<!DOCTYPE html><p>hi', 'id', 'an HTML or XML page'],
		['a'.repeat(65_537), 'id', '65 KiB, far longer than any token'],
		['a'.repeat(65_537), 'access', '65 KiB, far longer than any token'],
		[`${idToken.slice(0, -3)}$(id>/tmp/PWNED)`, 'id', 'a JWT whose parts are not all base64url'],
		['ya29.abc\u001B]52;c;ZXZpbA==\u0007', 'access', 'characters no access token has'],
		["ya29.abc'; rm -rf ~ #", 'access', 'characters no access token has'],
		['ya29.abc', 'id', '2 parts where a JWT has three'],
		[`${part('x')}.${part({})}.c2ln`, 'id', 'a JWT whose header is not JSON'],
	] as const)('refuses %j as an %s token: %s', (token, type, problem) => {
		expect(tokenShapeProblem(token, type)).toBe(problem);
	});

	it('names the server in one sentence', () => {
		expect(() => expectTokenShape('<html>', 'id', 'The metadata server')).toThrow(
			'The metadata server answered with something that is not an ID token (a JWT): an HTML or XML page. It was not used.',
		);
	});

	it('lets nothing a shell or a terminal acts on through, whatever the server sends', () => {
		const hostile = fc.string({
			unit: fc.oneof(
				fc.constantFrom('$', '(', ')', '`', "'", '"', ';', ' ', '\u001B', '\n', '.', 'a', 'Z', '9', '-', '_'),
				fc.string({maxLength: 1}),
			),
		});
		fc.assert(
			fc.property(hostile, fc.constantFrom('access' as const, 'id' as const), (token, type) => {
				if (tokenShapeProblem(token, type) === undefined) expect(token).toMatch(/^[A-Za-z0-9._~+/-]+=*$/);
			}),
			{numRuns: 3000},
		);
	});
});

describe('lifetimes from a server', () => {
	const now = new Date('2026-01-01T00:00:00Z');

	it('turns a sane expires_in into a date, and says no to one that is not a lifetime', () => {
		expect(expiryFromLifetime(3599, now, 'S')?.toISOString()).toBe('2026-01-01T00:59:59.000Z');
		expect(expiryFromLifetime('3599', now, 'S')?.toISOString()).toBe('2026-01-01T00:59:59.000Z');
		expect(expiryFromLifetime(undefined, now, 'S')).toBeUndefined();
		// 60 days: longer than setTimeout can wait, but a lifetime; the scheduler clamps its timers.
		expect(expiryFromLifetime(60 * 86_400, now, 'S')).toBeInstanceOf(Date);
		expect(() => expiryFromLifetime(1e30, now, 'The metadata server')).toThrow(
			'The metadata server said the token lives 1e+30 seconds, which no token does (0 to 366 days); it was not used.',
		);
		for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 'soon', {}, true])
			expect(() => expiryFromLifetime(bad, now, 'S')).toThrow(/which no token does/);
	});

	it('checks an expiry the library computed, including the NaN it makes of a bad expires_in', () => {
		expect(expectExpiry(now.getTime() + 3_600_000, now, 'S')).toEqual(new Date(now.getTime() + 3_600_000));
		expect(expectExpiry(null, now, 'S')).toBeUndefined();
		expect(() => expectExpiry(Number.NaN, now, 'S')).toThrow('S said the token lives an unreadable number of seconds');
		expect(() => expectExpiry(now.getTime() + 1e33, now, 'S')).toThrow(/1e\+30 seconds/);
	});
});
