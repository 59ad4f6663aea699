import {describe, expect, it} from 'vitest';
import {expectedClaimsMismatch} from '../../src/verify/expect.js';
import {withExpectedClaims} from '../../src/verify/verify.js';

describe('expectedClaimsMismatch', () => {
	const claims = {aud: 'https://a.run.app', iss: 'https://accounts.google.com'};

	it('is silent when the claims match, Google’s issuer written either way', () => {
		expect(expectedClaimsMismatch(claims, {audience: 'https://a.run.app', issuer: 'accounts.google.com'})).toBeUndefined();
		expect(expectedClaimsMismatch({aud: ['x', 'y']}, {audience: 'y'})).toBeUndefined();
	});

	it('names the claim, what it is and what was expected', () => {
		expect(expectedClaimsMismatch(claims, {audience: 'https://a.run.app/'})).toBe(
			"The token's aud is https://a.run.app, not the expected https://a.run.app/.",
		);
		expect(expectedClaimsMismatch(claims, {issuer: 'https://issuer.example'})).toBe(
			"The token's issuer (iss) is https://accounts.google.com, not the expected https://issuer.example.",
		);
		expect(expectedClaimsMismatch({aud: ['x', 'y']}, {audience: 'z'})).toBe("The token's aud (x, y) does not include the expected z.");
		expect(expectedClaimsMismatch({}, {audience: 'z', issuer: 'i'})).toBe(
			'The token has no aud claim; expected z. The token has no iss claim; expected i.',
		);
		expect(expectedClaimsMismatch(null, {audience: 'z'})).toMatch(/opaque/);
	});

	it('makes a valid verdict invalid, and joins an invalid one, keeping the signature’s own verdict apart', () => {
		expect(withExpectedClaims({status: 'valid', code: 'verified', reason: 'Signature verified.'}, claims, {audience: 'b'})).toEqual({
			status: 'invalid',
			code: 'unexpected-claims',
			reason: "The token's aud is https://a.run.app, not the expected b.",
			signature: {status: 'valid', reason: 'Signature verified.'},
			expected: {status: 'mismatch', reason: "The token's aud is https://a.run.app, not the expected b."},
		});
		expect(withExpectedClaims({status: 'valid', code: 'verified', reason: 'ok'}, claims, {audience: 'https://a.run.app'})).toEqual({
			status: 'valid',
			code: 'verified',
			reason: 'ok',
			signature: {status: 'valid', reason: 'ok'},
			expected: {status: 'met', reason: 'As expected: aud is https://a.run.app.'},
		});
		expect(withExpectedClaims({status: 'invalid', code: 'expired', reason: 'Expired.'}, claims, {audience: 'b'}).reason).toBe(
			"The token's aud is https://a.run.app, not the expected b. Expired.",
		);
		expect(withExpectedClaims({status: 'valid', code: 'verified', reason: 'ok'}, claims, undefined)).toEqual({
			status: 'valid',
			code: 'verified',
			reason: 'ok',
		});
	});
});
