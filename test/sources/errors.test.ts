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
