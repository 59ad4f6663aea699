import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../../src/emulator/index.js';
import {call, impersonatedIdToken, metadataAccessToken, metadataIdToken} from './tokens.js';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(() => emulator.close());

const invalid =
	'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. ' +
	'See https://developers.google.com/identity/sign-in/web/devconsole-project.';

describe('a Google API that wants access tokens', () => {
	it('answers 401 UNAUTHENTICATED without a token, saying the credential is missing', async () => {
		const response = await call(emulator.services.googleApi.url);
		expect(response.status).toBe(401);
		expect(response.headers.get('www-authenticate')).toBe('Bearer realm="https://accounts.google.com/"');
		expect(response.headers.get('server')).toBe('ESF');
		const {error} = (await response.json()) as {error: {message: string; status: string; details: Array<{reason: string}>}};
		expect(error.status).toBe('UNAUTHENTICATED');
		expect(error.message).toMatch(/^Request is missing required authentication credential\. Expected OAuth 2 access token/);
		expect(error.details[0]?.reason).toBe('CREDENTIALS_MISSING');
	});

	it('answers 401 "Expected OAuth 2 access token" to an ID token, an expired access token and garbage', async () => {
		const {googleApi} = emulator.services;
		const expired = await metadataAccessToken(emulator);
		emulator.breakIt({kind: 'expire-now'});
		emulator.heal();
		for (const token of [await metadataIdToken(emulator, googleApi.url), expired, 'garbage']) {
			const response = await call(googleApi.url, token);
			expect(response.status).toBe(401);
			expect(response.headers.get('www-authenticate')).toBe('Bearer realm="https://accounts.google.com/", error="invalid_token"');
			expect(await response.json()).toEqual({error: {code: 401, message: invalid, status: 'UNAUTHENTICATED'}});
		}
	});

	it('answers 403 PERMISSION_DENIED to a token without the scope, and to a principal without a role', async () => {
		const {googleApi} = emulator.services;
		const narrow = await call(googleApi.url, await metadataAccessToken(emulator, ['https://www.googleapis.com/auth/devstorage.read_only']));
		expect(narrow.status).toBe(403);
		expect(narrow.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
		expect(await narrow.json()).toMatchObject({
			error: {code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED'},
		});

		googleApi.deny(emulator.serviceAccountEmail);
		const roleless = await call(googleApi.url, await metadataAccessToken(emulator));
		expect(roleless.status).toBe(403);
		expect(await roleless.json()).toEqual({
			error: {code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED'},
		});
		googleApi.allow(`serviceAccount:${emulator.serviceAccountEmail}`);
	});

	it('answers 200 with the project to an access token with the scope and the role', async () => {
		const {googleApi} = emulator.services;
		const response = await call(googleApi.url, await metadataAccessToken(emulator));
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({projectId: emulator.projectId, lifecycleState: 'ACTIVE'});
		expect(googleApi.audience).toBeUndefined();
		// An ID token is never an access token, even a valid one for the right principal.
		expect((await call(googleApi.url, await impersonatedIdToken(emulator, emulator.serviceAccountEmail, googleApi.url))).status).toBe(401);
	});
});
