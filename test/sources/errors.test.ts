import {describe, expect, it} from 'vitest';
import {TokscopeError} from '../../src/core/errors.js';
import {explainAuthFailure, iamMember} from '../../src/sources/errors.js';

const response = (status: number, data: unknown = {}) => ({response: {status, data}});

describe('which auth failures can pass by themselves (retryable)', () => {
	it.each([
		['a 500', response(500), 'oauth', true],
		['a 503 from IAM', response(503), 'iam', true],
		['a 429', response(429), 'oauth', true],
		['a connection refused', {code: 'ECONNREFUSED'}, 'oauth', true],
		['a deadline', new TokscopeError('The OAuth token endpoint did not answer within 10 s.'), 'oauth', true],
		['a revoked refresh token', response(400, {error: 'invalid_grant'}), 'oauth', false],
		['an unknown client', response(401, {error: 'invalid_client'}), 'oauth', false],
		['a 403 from IAM', response(403), 'iam', false],
		['a 404 from IAM', response(404), 'iam', false],
		['a 400 of any other kind', response(400, {error: 'invalid_request'}), 'oauth', false],
		['a sentence of our own about a missing file', new TokscopeError('The key file /x.json does not exist.'), 'oauth', false],
	] as const)('%s: %s', (_name, error, via, retryable) => {
		expect(explainAuthFailure(error, {want: 'id', via, credential: 'user'}).retryable).toBe(retryable);
	});
});

describe('the member an IAM refusal tells to grant the role to', () => {
	it('is the caller: serviceAccount: for a service account, user: for anyone else, user:YOU when unknown', () => {
		expect(iamMember('runner@p.iam.gserviceaccount.com')).toBe('serviceAccount:runner@p.iam.gserviceaccount.com');
		expect(iamMember('123-compute@developer.gserviceaccount.com')).toBe('serviceAccount:123-compute@developer.gserviceaccount.com');
		expect(iamMember('alice@example.com')).toBe('user:alice@example.com');
		expect(iamMember(undefined)).toBe('user:YOU');
		// A federated principal is no email: the reader fills it in.
		expect(iamMember('federated principal of //iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p')).toBe('user:YOU');
	});

	it('is quoted in the grant command when the caller’s name could be read by a shell', () => {
		const serviceAccount = 'sa@p.iam.gserviceaccount.com';
		const error = explainAuthFailure(response(403), {want: 'access', via: 'iam', serviceAccount, caller: 'a$(id)@x.io'});
		const role = '--role=roles/iam.serviceAccountTokenCreator';
		const binding = 'gcloud iam service-accounts add-iam-policy-binding';
		expect(error.hint).toBe(`Grant it with: ${binding} ${serviceAccount} '--member=user:a$(id)@x.io' ${role}`);
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
