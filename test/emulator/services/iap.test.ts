import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../../src/emulator/index.js';
import {call, expiredIdToken, foreignIdToken, impersonatedIdToken, metadataAccessToken, metadataIdToken} from './tokens.js';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(() => emulator.close());

/** IAP's refusals: one plain sentence, its own marker header. */
async function expectIap(response: Response, status: number, sentence: string): Promise<void> {
	expect(response.status).toBe(status);
	expect(response.headers.get('x-goog-iap-generated-response')).toBe('true');
	expect(response.headers.get('date')).not.toBeNull();
	expect(await response.text()).toBe(sentence);
}

describe('an IAP-protected app (programmatic access)', () => {
	it('wants its OAuth client ID as the audience', () => {
		expect(emulator.services.iap.audience).toMatch(/^\d+-[a-z0-9]+\.apps\.googleusercontent\.com$/);
	});

	it('redirects a GET without a token to sign-in, and answers 401 to a POST', async () => {
		const {iap} = emulator.services;
		const redirected = await call(iap.url);
		expect(redirected.status).toBe(302);
		expect(redirected.headers.get('location')).toContain(`${emulator.url}/o/oauth2/v2/auth?client_id=${encodeURIComponent(iap.audience!)}`);
		await expectIap(redirected, 302, 'Invalid IAP credentials: empty token');
		await expectIap(await call(iap.url, undefined, {method: 'POST'}), 401, 'Invalid IAP credentials: empty token');
	});

	it('cannot parse a malformed token or an access token', async () => {
		const {iap} = emulator.services;
		await expectIap(await call(iap.url, 'garbage'), 401, 'Invalid IAP credentials: Unable to parse JWT');
		await expectIap(await call(iap.url, await metadataAccessToken(emulator)), 401, 'Invalid IAP credentials: Unable to parse JWT');
	});

	it('names the audience it got and the one it expected', async () => {
		const {iap} = emulator.services;
		const response = await call(iap.url, await metadataIdToken(emulator, iap.url));
		await expectIap(
			response,
			401,
			`Invalid IAP credentials: JWT audience doesn't match this application ('aud' claim (${iap.url}) doesn't ` +
				`match expected value (${iap.audience}))`,
		);
	});

	it('refuses an expired token, one Google did not sign, and one without an email claim', async () => {
		const {iap} = emulator.services;
		await expectIap(await call(iap.url, await expiredIdToken(emulator, iap.audience!)), 401, 'Invalid IAP credentials: Expired JWT');
		await expectIap(
			await call(iap.url, await foreignIdToken(emulator, iap.audience!)),
			401,
			'Invalid IAP credentials: JWT signature is invalid',
		);
		const standard = await metadataIdToken(emulator, iap.audience!, 'standard');
		await expectIap(await call(iap.url, standard), 401, "Invalid IAP credentials: JWT 'email' claim isn't a string");
	});

	it('answers 403 to a principal that is not an IAP-secured Web App User, and 200 once it is', async () => {
		const {iap} = emulator.services;
		const stranger = 'stranger@tokscope-demo.iam.gserviceaccount.com';
		const token = await impersonatedIdToken(emulator, stranger, iap.audience!);
		const refused = await call(iap.url, token);
		expect(refused.status).toBe(403);
		expect(refused.headers.get('x-goog-iap-generated-response')).toBe('true');
		expect(await refused.text()).toContain("You don't have access");
		iap.allow(`serviceAccount:${stranger}`);
		const accepted = await call(iap.url, token);
		expect(accepted.status).toBe(200);
		expect(accepted.headers.get('x-goog-iap-generated-response')).toBeNull();
		expect(await accepted.text()).toContain(stranger);
	});
});
