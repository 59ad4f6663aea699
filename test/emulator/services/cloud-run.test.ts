import {Compute, IdTokenClient} from 'google-auth-library';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../../src/emulator/index.js';
import {call, expiredIdToken, foreignIdToken, impersonatedIdToken, metadataAccessToken, metadataIdToken} from './tokens.js';

let emulator: Emulator;
const stranger = 'stranger@tokscope-demo.iam.gserviceaccount.com';
const challenge = 'Bearer error="invalid_token" error_description="The access token could not be verified"';

beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(() => emulator.close());

/** Google Frontend's 401: a challenge that names no cause, and its HTML page. */
async function expectUnauthorized(response: Response, path = '/'): Promise<void> {
	expect(response.status).toBe(401);
	expect(response.headers.get('www-authenticate')).toBe(challenge);
	expect(response.headers.get('server')).toBe('Google Frontend');
	expect(await response.text()).toContain(`Your client does not have permission to the requested URL <code>${path}</code>.`);
}

async function expectForbidden(response: Response, path = '/'): Promise<void> {
	expect(response.status).toBe(403);
	expect(response.headers.get('www-authenticate')).toBeNull();
	const page = await response.text();
	expect(page).toContain('Error: Forbidden');
	expect(page).toContain(`Your client does not have permission to get URL <code>${path}</code> from this server.`);
}

describe('Cloud Run', () => {
	it('answers 403 without a token, as a private service does, with Google Frontend’s headers and a Date', async () => {
		const response = await call(emulator.services.cloudRun.url);
		expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
		expect(response.headers.get('x-cloud-trace-context')).toMatch(/^[0-9a-f]{32}\/\d+;o=1$/);
		expect(Date.parse(response.headers.get('date') ?? '')).toBeGreaterThan(Date.now() - 60_000);
		await expectForbidden(response);
		expect(await (await call(`${emulator.services.cloudRun.url}/a/b`)).text()).toContain('get URL <code>/a/b</code> from this server.');
	});

	it('answers 401 to a malformed token, an access token, a wrong audience, an expired token and a token Google did not sign', async () => {
		const {cloudRun, cloudFunction} = emulator.services;
		await expectUnauthorized(await call(cloudRun.url, 'not-a-jwt'));
		await expectUnauthorized(await call(cloudRun.url, await metadataAccessToken(emulator)));
		await expectUnauthorized(await call(cloudRun.url, await metadataIdToken(emulator, cloudFunction.audience!)));
		await expectUnauthorized(await call(cloudRun.url, await metadataIdToken(emulator, `${cloudRun.url}/path`)));
		await expectUnauthorized(await call(cloudRun.url, await expiredIdToken(emulator, cloudRun.audience!)));
		await expectUnauthorized(await call(cloudRun.url, await foreignIdToken(emulator, cloudRun.audience!)));
	});

	it('accepts its URL as the audience, with or without the trailing slash, and says who called', async () => {
		const {cloudRun} = emulator.services;
		const response = await call(cloudRun.url, await metadataIdToken(emulator, cloudRun.url));
		expect(response.status).toBe(200);
		expect(await response.text()).toContain(emulator.serviceAccountEmail);
		// A standard-format token has no email claim: the principal is found from `sub`, as IAM does.
		expect((await call(cloudRun.url, await metadataIdToken(emulator, `${cloudRun.url}/`, 'standard'))).status).toBe(200);
	});

	it('accepts a custom audience only once it is configured', async () => {
		const {cloudRun} = emulator.services;
		const token = await metadataIdToken(emulator, 'https://hello.example.com');
		await expectUnauthorized(await call(cloudRun.url, token));
		cloudRun.addAudience('https://hello.example.com');
		expect((await call(cloudRun.url, token)).status).toBe(200);
		cloudRun.removeAudience('https://hello.example.com');
		await expectUnauthorized(await call(cloudRun.url, token));
	});

	it('answers 403 to a valid token whose principal lacks roles/run.invoker, until it is granted', async () => {
		const {cloudRun} = emulator.services;
		const token = await impersonatedIdToken(emulator, stranger, cloudRun.audience!);
		await expectForbidden(await call(cloudRun.url, token));
		cloudRun.allow(`serviceAccount:${stranger}`);
		expect(cloudRun.invokers).toContain(stranger);
		expect((await call(cloudRun.url, token)).status).toBe(200);
		cloudRun.deny(stranger);
		await expectForbidden(await call(cloudRun.url, token));
	});

	it('is called by the real google-auth-library with an ID token from the emulated metadata server', async () => {
		const {cloudRun} = emulator.services;
		// gcp-metadata reads GCE_METADATA_HOST on every call, as it does for users; the Node library ignores a key
		// file's token_uri, so the metadata server is the way to point it at the emulator without going to Google.
		process.env.GCE_METADATA_HOST = emulator.host;
		const client = new IdTokenClient({idTokenProvider: new Compute(), targetAudience: cloudRun.audience!});
		const response = await client.request<string>({url: cloudRun.url, responseType: 'text'});
		expect(response.status).toBe(200);
		expect(response.data).toContain(emulator.serviceAccountEmail);
	});
});

describe('Cloud Functions (1st gen)', () => {
	it('wants the full function URL as the audience: the origin alone is a 401', async () => {
		const {cloudFunction} = emulator.services;
		expect(cloudFunction.audience).toBe(cloudFunction.url);
		expect(new URL(cloudFunction.url).pathname).toBe('/hello');
		await expectUnauthorized(await call(cloudFunction.url, await metadataIdToken(emulator, cloudFunction.origin)), '/hello');
		const response = await call(cloudFunction.url, await metadataIdToken(emulator, cloudFunction.url));
		expect(response.status).toBe(200);
		expect(response.headers.get('function-execution-id')).toMatch(/^[\w-]+$/);
		expect((await call(`${cloudFunction.url}/sub/path`, await metadataIdToken(emulator, cloudFunction.url))).status).toBe(200);
	});

	it('answers 403 without a token, without the invoker role or off its path, 401 for the other mistakes', async () => {
		const {cloudFunction} = emulator.services;
		await expectForbidden(await call(cloudFunction.url), '/hello');
		await expectUnauthorized(await call(cloudFunction.url, await metadataAccessToken(emulator)), '/hello');
		await expectUnauthorized(await call(cloudFunction.url, await expiredIdToken(emulator, cloudFunction.url)), '/hello');
		await expectUnauthorized(await call(cloudFunction.url, await foreignIdToken(emulator, cloudFunction.url)), '/hello');
		await expectForbidden(await call(cloudFunction.url, await impersonatedIdToken(emulator, stranger, cloudFunction.url)), '/hello');
		// A path that names no function is 403, not 404 (test/fixtures/real-world/cloud-functions/path-without-function-name.json).
		await expectForbidden(await call(`${cloudFunction.origin}/other`, await metadataIdToken(emulator, cloudFunction.url)), '/other');
	});
});
