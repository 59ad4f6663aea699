import {X509Certificate} from 'node:crypto';
import {decodeProtectedHeader, jwtVerify} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({services: false});
});
afterAll(() => emulator.close());

describe('/oauth2/v1/certs', () => {
	it('serves {kid: PEM certificate} whose key verifies the emulator’s ID tokens', async () => {
		const response = await fetch(`${emulator.url}/oauth2/v1/certs`);
		expect(response.status).toBe(200);
		const certs = (await response.json()) as Record<string, string>;
		const token = await (
			await fetch(`${emulator.url}/computeMetadata/v1/instance/service-accounts/default/identity?audience=a`, {
				headers: {'Metadata-Flavor': 'Google'},
			})
		).text();
		const {kid} = decodeProtectedHeader(token);
		const pem = certs[kid!];
		expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
		const certificate = new X509Certificate(pem!);
		expect(certificate.verify(certificate.publicKey)).toBe(true);
		expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now());
		await expect(jwtVerify(token, certificate.publicKey, {issuer: emulator.url, audience: 'a'})).resolves.toBeTruthy();
	});
});
