import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../../src/emulator/index.js';
import {call, metadataIdToken} from './tokens.js';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('the protected services', () => {
	it('each live on their own loopback origin', () => {
		const origins = Object.values(emulator.services).map(service => service.origin);
		expect(new Set([...origins, emulator.url]).size).toBe(origins.length + 1);
		for (const origin of origins) expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(Object.values(emulator.services).map(service => service.kind)).toEqual([
			'cloud-run',
			'cloud-functions',
			'iap',
			'api-gateway',
			'google-api',
			'public',
		]);
	});

	it('include a public service that answers 200 with or without a token', async () => {
		const {publicService} = emulator.services;
		expect((await call(publicService.url)).status).toBe(200);
		const withToken = await call(publicService.url, await metadataIdToken(emulator, publicService.url));
		expect(withToken.status).toBe(200);
		expect(await withToken.text()).toContain('allows unauthenticated invocations');
	});

	it('send a Date header from the emulator’s clock on every answer, skewed when the clock is', async () => {
		for (const service of Object.values(emulator.services)) {
			const date = Date.parse((await call(service.url)).headers.get('date') ?? '');
			expect(Math.abs(date - Date.now())).toBeLessThan(5000);
		}
		emulator.breakIt({kind: 'clock-skew', seconds: 600});
		expect(emulator.clockSkewSeconds).toBe(600);
		for (const url of [emulator.services.cloudRun.url, `${emulator.url}/.well-known/openid-configuration`]) {
			const date = Date.parse((await call(url)).headers.get('date') ?? '');
			expect(date - Date.now()).toBeGreaterThan(590_000);
		}
		emulator.heal();
		expect(emulator.clockSkewSeconds).toBe(0);
	});

	it('answer with a replayed real answer when a fault names their host, and only then', async () => {
		const {cloudFunction} = emulator.services;
		const body = 'Error: Forbidden\nYour client does not have permission to get URL /about from this server.';
		// A fault without a host is for the emulator's own endpoints: the stand-in answers as before.
		emulator.setFault('/hello', {status: 500, body: 'not for services'});
		expect((await call(cloudFunction.url)).status).toBe(403);
		emulator.setFault('/hello', {status: 403, body, headers: {'content-type': 'text/html; charset=UTF-8'}, host: '127.0.0.1'});
		const replayed = await call(cloudFunction.url);
		expect(replayed.status).toBe(403);
		expect(replayed.headers.get('content-type')).toBe('text/html; charset=UTF-8');
		expect(await replayed.text()).toBe(body);
		emulator.setFault('/hello', {status: 403, body, host: 'elsewhere.example'});
		expect(await (await call(cloudFunction.url)).text()).not.toBe(body);
		emulator.clearFaults();
	});

	it('are left out when asked', async () => {
		const bare = await startEmulator({services: false});
		expect(() => bare.services).toThrow(/services: false/);
		await bare.close();
	});
});
