import {describe, expect, it} from 'vitest';
import {explainClaim} from '../../src/core/explain.js';

describe('explainClaim', () => {
	it.each([
		'iss',
		'sub',
		'aud',
		'azp',
		'exp',
		'iat',
		'nbf',
		'jti',
		'email',
		'email_verified',
		'scope',
		'hd',
		'google',
		'nonce',
		'at_hash',
		'name',
		'picture',
		'locale',
		'target_audience',
	])('explains %s in one plain sentence', name => {
		const sentence = explainClaim(name);
		expect(sentence).toMatch(/^[A-Z].*\.$/);
		expect(sentence!.split(/\.\s/).length).toBe(1);
		expect(sentence!.length).toBeLessThan(140);
	});

	it('tells a learner what aud means for Cloud Run', () => {
		expect(explainClaim('aud')).toMatch(/who this token is for.*Cloud Run/);
	});

	it('stays silent on claims it does not know, including object built-ins a token could name', () => {
		for (const name of ['x-custom', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) expect(explainClaim(name)).toBeUndefined();
	});
});
