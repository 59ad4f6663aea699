import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../../src/emulator/index.js';
import {call, expiredIdToken, foreignIdToken, metadataAccessToken, metadataIdToken} from './tokens.js';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(() => emulator.close());

/** ESPv2's refusal: 401, `{code, message}` JSON, and a Bearer challenge naming the request URL as the realm. */
async function expectEsp(response: Response, message: string, path = '/'): Promise<void> {
	const {apiGateway} = emulator.services;
	expect(response.status).toBe(401);
	expect(response.headers.get('content-type')).toBe('application/json');
	const realm = `Bearer realm="${apiGateway.origin}${path}"`;
	expect(response.headers.get('www-authenticate')).toBe(message === 'Jwt is missing' ? realm : `${realm}, error="invalid_token"`);
	expect(await response.json()).toEqual({code: 401, message});
}

describe('API Gateway (ESPv2)', () => {
	it('says what is wrong with the JWT, in Envoy’s words', async () => {
		const {apiGateway} = emulator.services;
		await expectEsp(await call(apiGateway.url), 'Jwt is missing');
		await expectEsp(await call(`${apiGateway.url}/v1/items`), 'Jwt is missing', '/v1/items');
		await expectEsp(
			await call(apiGateway.url, await metadataAccessToken(emulator)),
			'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections',
		);
		await expectEsp(
			await call(apiGateway.url, await metadataIdToken(emulator, 'https://other.example.com')),
			'Audiences in Jwt are not allowed',
		);
		await expectEsp(await call(apiGateway.url, await expiredIdToken(emulator, apiGateway.audience!)), 'Jwt is expired');
		await expectEsp(await call(apiGateway.url, await foreignIdToken(emulator, apiGateway.audience!)), 'Jwt verification fails');
		await expectEsp(
			await call(apiGateway.url, await foreignIdToken(emulator, apiGateway.audience!, 'https://issuer.example.com')),
			'Jwt issuer is not configured',
		);
	});

	it('passes a Google-signed ID token for an allowed audience, including one added later', async () => {
		const {apiGateway} = emulator.services;
		const response = await call(apiGateway.url, await metadataIdToken(emulator, apiGateway.audience!));
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({message: 'Hello from API Gateway', principal: emulator.serviceAccountEmail});
		apiGateway.addAudience('my-api.apigateway.tokscope-demo.cloud.goog');
		expect((await call(apiGateway.url, await metadataIdToken(emulator, 'my-api.apigateway.tokscope-demo.cloud.goog'))).status).toBe(200);
	});
});
