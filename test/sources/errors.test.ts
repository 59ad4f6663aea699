import {describe, expect, it} from 'vitest';
import {TokscopeError} from '../../src/core/errors.js';
import {explainAuthFailure} from '../../src/sources/errors.js';

const response = (status: number, data: unknown = {}) => ({response: {status, data}});

describe('which auth failures can pass by themselves (retryable)', () => {
	it.each([
		['a 500', response(500), 'oauth', true],
		['a 503 from IAM', response(503), 'iam', true],
		['a 429', response(429), 'oauth', true],
		['a connection refused', {code: 'ECONNREFUSED'}, 'oauth', true],
		['a deadline', new TokscopeError('timeout', 'The OAuth token endpoint did not answer within 10 s.'), 'oauth', true],
		['a revoked refresh token', response(400, {error: 'invalid_grant'}), 'oauth', false],
		['an unknown client', response(401, {error: 'invalid_client'}), 'oauth', false],
		['a 403 from IAM', response(403), 'iam', false],
		['a 404 from IAM', response(404), 'iam', false],
		['a 400 of any other kind', response(400, {error: 'invalid_request'}), 'oauth', false],
		['a sentence of our own about a missing file', new TokscopeError('file', 'The key file /x.json does not exist.'), 'oauth', false],
	] as const)('%s: %s', (_name, error, via, retryable) => {
		expect(explainAuthFailure(error, {want: 'id', via, credential: 'user'}).retryable).toBe(retryable);
	});
});

describe('the code each failure is made with, for the code that decides on it', () => {
	it.each([
		['a key refused as out of time', response(400, {error: 'invalid_grant', error_description: 'in a reasonable timeframe'}), 'clock-off'],
		[
			'a key refused for its signature',
			response(400, {error: 'invalid_grant', error_description: 'Invalid JWT Signature.'}),
			'credential-rejected',
		],
		['a 403 from IAM', response(403), 'denied'],
		['a 404 from IAM', response(404), 'not-found'],
		['a 502', response(502), 'server-error'],
		['a host that does not resolve', {code: 'ENOTFOUND'}, 'no-such-host'],
		['a body past the limit', {type: 'max-size'}, 'too-big'],
		['anything else the library throws', new Error('No refresh token is set.'), 'auth-failed'],
	] as const)('%s: %s', (_name, error, code) => {
		expect(explainAuthFailure(error, {want: 'access', via: 'iam', credential: 'service-account'}).code).toBe(code);
	});
});

describe('the member an IAM refusal tells to grant the role to', () => {
	it('is the caller, or user:YOU for the reader to fill in', () => {
		const serviceAccount = 'sa@p.iam.gserviceaccount.com';
		const grant = (caller?: string) => explainAuthFailure(response(403), {want: 'access', via: 'iam', serviceAccount, caller}).hint;
		expect(grant('runner@p.iam.gserviceaccount.com')).toContain('--member=serviceAccount:runner@p.iam.gserviceaccount.com');
		expect(grant(undefined)).toContain('--member=user:YOU');
	});

	it('is quoted in the grant command when the caller’s name could be read by a shell', () => {
		const serviceAccount = 'sa@p.iam.gserviceaccount.com';
		const error = explainAuthFailure(response(403), {want: 'access', via: 'iam', serviceAccount, caller: 'a$(id)@x.io'});
		const role = '--role=roles/iam.serviceAccountTokenCreator';
		const binding = 'gcloud iam service-accounts add-iam-policy-binding';
		expect(error.hint).toBe(`Grant it with: ${binding} ${serviceAccount} '--member=user:a$(id)@x.io' ${role}`);
	});
});

describe('a server’s error in the sentence', () => {
	it('is left out when it is not text, rather than shown as [object Object]', () => {
		const error = explainAuthFailure(response(500, {error: {code: 500, message: {nested: true}}}), {want: 'access', via: 'oauth'});
		expect(error.message).not.toContain('[object Object]');
		expect(error.message).toMatch(/answered HTTP 500\.$/);
	});
});

describe("JavaScript's own words from inside the library", () => {
	it.each([
		new TypeError("Cannot create property 'res' on string ''"),
		new TypeError("Cannot read properties of undefined (reading 'error')"),
		new SyntaxError('Unexpected token < in JSON at position 0'),
	])('%s is never shown: the sentence names whose answer the library could not use', error => {
		const explained = explainAuthFailure(error, {want: 'access', via: 'sts'});
		expect(explained.message).toBe('google-auth-library could not use what the Security Token Service answered.');
	});
});
