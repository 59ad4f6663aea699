import {describe, expect, it} from 'vitest';
import {expiryOf, formatDuration, formatRelative, tokenTimes} from '../../src/core/times.js';

describe('token times', () => {
	it('computes remaining time and the share of lifetime used', () => {
		const times = tokenTimes({issuedAt: new Date(0), expiresAt: new Date(60_000)}, new Date(45_000));
		expect(times).toEqual({remainingMs: 15_000, lifetimeMs: 60_000, usedShare: 0.75, expired: false});
		expect(tokenTimes({issuedAt: new Date(0), expiresAt: new Date(60_000)}, new Date(61_000)).expired).toBe(true);
		expect(tokenTimes({issuedAt: null, expiresAt: null}, new Date()).remainingMs).toBeNull();
	});

	it('formats durations the way a countdown reads', () => {
		expect(formatDuration(45_000)).toBe('45s');
		expect(formatDuration(252_000)).toBe('4m 12s');
		expect(formatDuration(3_720_000)).toBe('1h 02m');
		expect(formatRelative(252_000)).toBe('in 4m 12s');
		expect(formatRelative(-3_000)).toBe('3s ago');
	});
});

describe('clock skew', () => {
	it('warns with the measured skew when a token was issued in the future by our clock', async () => {
		const {clockSkewWarning} = await import('../../src/core/skew.js');
		const now = new Date(1_000_000_000);
		expect(clockSkewWarning({issuedAt: new Date(now.getTime() + 125_000), expiresAt: new Date(now.getTime() + 3_725_000)}, now)).toMatch(
			/issued 2m 05s in the future.*clock is behind/,
		);
		expect(
			clockSkewWarning({issuedAt: new Date(now.getTime() + 10_000), expiresAt: new Date(now.getTime() + 3_610_000)}, now),
		).toBeUndefined();
		expect(clockSkewWarning({issuedAt: now, expiresAt: new Date(now.getTime() - 1)}, now)).toMatch(/expires before it was issued/);
		// The demo's "tokens expire now": issued already expired, which is not a token expiring before its issue.
		expect(clockSkewWarning({issuedAt: now, expiresAt: now}, now)).toBe(
			'This token expired at issue (exp equals iat): no service will accept it.',
		);
		expect(clockSkewWarning({issuedAt: now, expiresAt: new Date(now.getTime() + 30 * 86_400_000)}, now)).toMatch(/lifetime of 30d/);
	});
});

describe('expiryOf: a token’s exp as both inspect and the live view take it', () => {
	it('takes an exp as it is, a long lifetime too (ten years is valid until then; the clock warns)', () => {
		expect(expiryOf(1_800_003_600)).toEqual({expiresAt: new Date(1_800_003_600_000)});
		expect(expiryOf(2_000_000_000)).toEqual({expiresAt: new Date(2_000_000_000_000)});
		expect(expiryOf(undefined)).toEqual({expiresAt: null});
		expect(expiryOf('soon')).toEqual({expiresAt: null});
	});

	it('clamps what no clock can show, and says so', () => {
		expect(expiryOf(1e308)).toEqual({
			expiresAt: new Date('9999-12-31T23:59:59Z'),
			clamped: 'Its exp (1.00e308) is beyond any date: taken as the year 9999.',
		});
		expect(expiryOf(-1e308)).toEqual({expiresAt: new Date(0), clamped: 'Its exp (-1.00e308) is before 1970: taken as 1970.'});
	});
});
