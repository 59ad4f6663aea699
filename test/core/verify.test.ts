import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {SignJWT, UnsecuredJWT, exportJWK, exportSPKI, generateKeyPair} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {refuseToFetch} from '../../src/core/fetch-policy.js';
import {verifyToken} from '../../src/core/verify.js';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';

let emulator: Emulator;
let dir: string;
const idToken = async (audience = 'https://svc.run.app') =>
	(
		await fetch(`${emulator.url}/computeMetadata/v1/instance/service-accounts/default/identity?audience=${encodeURIComponent(audience)}`, {
			headers: {'Metadata-Flavor': 'Google'},
		})
	).text();

beforeAll(async () => {
	emulator = await startEmulator();
	dir = await mkdtemp(join(tmpdir(), 'tokscope-verify-'));
});
afterAll(async () => {
	await emulator.close();
	await rm(dir, {recursive: true, force: true});
});

describe('verifyToken', () => {
	it('verifies an emulator ID token through OIDC discovery and says the issuer is not Google', async () => {
		const verification = await verifyToken(await idToken());
		expect(verification).toMatchObject({status: 'valid', issuer: emulator.url, google: false});
		expect(verification.keyId).toBeTruthy();
		expect(verification.reason).toContain('not Google');
	});

	it('reports a tampered token invalid', async () => {
		const [header, payload, signature] = (await idToken()).split('.');
		const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
		const forged = Buffer.from(JSON.stringify({...claims, aud: 'https://someone-else.run.app'})).toString('base64url');
		const verification = await verifyToken(`${header}.${forged}.${signature}`);
		expect(verification.status).toBe('invalid');
		expect(verification.reason).toMatch(/altered or signed by someone else/);
	});

	it('never calls alg:none valid, and leaves HS256 without a secret unverified', async () => {
		expect((await verifyToken(new UnsecuredJWT({iss: emulator.url, sub: 'x'}).encode())).status).toBe('invalid');
		const secret = new TextEncoder().encode('correct horse battery staple');
		const hs = await new SignJWT({sub: 'x'}).setProtectedHeader({alg: 'HS256'}).setIssuer('https://auth.example.com').setExpirationTime('1h').sign(secret);
		expect((await verifyToken(hs)).status).toBe('unverified');
		expect((await verifyToken(hs, {secret: 'correct horse battery staple'})).status).toBe('valid');
		expect((await verifyToken(hs, {secret: 'wrong'})).status).toBe('invalid');
	});

	it('checks against a key the user gives: PEM, JWK or JWKS file', async () => {
		const {privateKey, publicKey} = await generateKeyPair('ES256');
		const token = await new SignJWT({sub: 'x'}).setProtectedHeader({alg: 'ES256', kid: 'mine'}).setIssuer('https://10.0.0.1').setExpirationTime('1h').sign(privateKey);
		const pem = join(dir, 'key.pem');
		await writeFile(pem, await exportSPKI(publicKey));
		expect((await verifyToken(token, {keyFile: pem})).status).toBe('valid');
		const jwks = join(dir, 'jwks.json');
		await writeFile(jwks, JSON.stringify({keys: [{...(await exportJWK(publicKey)), kid: 'mine', alg: 'ES256'}]}));
		expect((await verifyToken(token, {keyFile: jwks})).status).toBe('valid');
	});

	it('says an expired token is invalid and by how much', async () => {
		emulator.setTokenLifetime(1);
		const token = await idToken();
		emulator.setTokenLifetime(3600);
		const verification = await verifyToken(token, {now: new Date(Date.now() + 3 * 60_000)});
		expect(verification.status).toBe('invalid');
		expect(verification.reason).toMatch(/expired (2m 5\ds|3m 00s) ago/);
	});
});

describe('a pasted token cannot steer our network calls', () => {
	it.each([
		['http://169.254.169.254', /link-local|plain http/],
		['https://169.254.169.254', /link-local, private or reserved/],
		['https://10.1.2.3', /private or reserved/],
		['https://192.168.0.10/issuer', /private or reserved/],
		['https://[fd00::1]', /private or reserved/],
		['http://example.com', /cannot be resolved|plain http/],
		['https://no-such-host.invalid', /cannot be resolved/],
		['file:///etc/passwd', /not a web address/],
	])('refuses %s', async (url, reason) => {
		expect(await refuseToFetch(url)).toMatch(reason);
	});

	it('allows loopback over http for the emulator', async () => {
		expect(await refuseToFetch(emulator.url)).toBeUndefined();
	});

	it('leaves a token from a private-network issuer unverified without fetching it', async () => {
		const {privateKey} = await generateKeyPair('RS256');
		const token = await new SignJWT({sub: 'x', aud: 'a', azp: 'b'}).setProtectedHeader({alg: 'RS256'}).setIssuer('https://169.254.169.254').setExpirationTime('1h').sign(privateKey);
		const verification = await verifyToken(token);
		expect(verification.status).toBe('unverified');
		expect(verification.reason).toMatch(/not fetched because/);
	});
});
