import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {promisify} from 'node:util';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {CompactSign, SignJWT, UnsecuredJWT, exportJWK, exportSPKI, generateKeyPair, importPKCS8, type JWK} from 'jose';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {refuseToFetch} from '../../src/verify/fetch-policy.js';
import {verifyToken} from '../../src/verify/verify.js';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';

/** A token naming Google's issuer and key g1, signed with a key of its own: what it proves depends on Google's keys. */
async function googleIssuedToken(): Promise<string> {
	const {privateKey} = await generateKeyPair('RS256');
	return new SignJWT({azp: 'c'})
		.setProtectedHeader({alg: 'RS256', kid: 'g1'})
		.setIssuer('accounts.google.com')
		.setAudience('a')
		.setSubject('1')
		.setExpirationTime('1h')
		.sign(privateKey);
}

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

	it('says an issuer the environment names a test issuer stands in for Google, and verifies it just the same', async () => {
		const verification = await verifyToken(await idToken(), {testIssuers: [emulator.url]});
		expect(verification).toMatchObject({status: 'valid', issuer: emulator.url, google: false, testIssuer: true});
		expect(verification.reason).toContain(`standing in for Google: ${emulator.url}`);
	});

	it('asks an issuer for its discovery document and keys once, not on every token (a live view refreshes often)', async () => {
		const {privateKey, publicKey} = await generateKeyPair('RS256');
		const jwk = {...(await exportJWK(publicKey)), kid: 'i1', alg: 'RS256'};
		const paths: string[] = [];
		const issuer = createServer((request, response) => {
			paths.push(request.url ?? '');
			const base = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
			response.setHeader('Content-Type', 'application/json');
			response.end(JSON.stringify(request.url === '/keys' ? {keys: [jwk]} : {issuer: base, jwks_uri: `${base}/keys`}));
		});
		await new Promise<void>(done => issuer.listen(0, '127.0.0.1', done));
		try {
			const sign = () =>
				new SignJWT({})
					.setProtectedHeader({alg: 'RS256', kid: 'i1'})
					.setIssuer(`http://127.0.0.1:${(issuer.address() as AddressInfo).port}`)
					.setAudience('a')
					.setExpirationTime('1h')
					.sign(privateKey);
			for (let index = 0; index < 3; index++) expect((await verifyToken(await sign())).status).toBe('valid');
			expect(paths).toEqual(['/.well-known/openid-configuration', '/keys']);
		} finally {
			issuer.close();
		}
	});

	it('verifies a token pasted with its Authorization header', async () => {
		expect((await verifyToken(`Authorization: Bearer ${await idToken()}\n`)).status).toBe('valid');
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
		const hs = await new SignJWT({sub: 'x'})
			.setProtectedHeader({alg: 'HS256'})
			.setIssuer('https://auth.example.com')
			.setExpirationTime('1h')
			.sign(secret);
		expect((await verifyToken(hs)).status).toBe('unverified');
		expect((await verifyToken(hs, {secret: 'correct horse battery staple'})).status).toBe('valid');
		expect((await verifyToken(hs, {secret: 'wrong'})).status).toBe('invalid');
	});

	it('checks against a key the user gives: PEM, JWK or JWKS file', async () => {
		const {privateKey, publicKey} = await generateKeyPair('ES256');
		const token = await new SignJWT({sub: 'x'})
			.setProtectedHeader({alg: 'ES256', kid: 'mine'})
			.setIssuer('https://10.0.0.1')
			.setExpirationTime('1h')
			.sign(privateKey);
		const pem = join(dir, 'key.pem');
		await writeFile(pem, await exportSPKI(publicKey));
		expect((await verifyToken(token, {keyFile: pem})).status).toBe('valid');
		const jwks = join(dir, 'jwks.json');
		await writeFile(jwks, JSON.stringify({keys: [{...(await exportJWK(publicKey)), kid: 'mine', alg: 'ES256'}]}));
		expect((await verifyToken(token, {keyFile: jwks})).status).toBe('valid');
	});

	it.skipIf(!existsSync('/usr/bin/openssl'))('checks against an X.509 certificate, the form Google’s v1 certs endpoint uses', async () => {
		const keyPath = join(dir, 'cert-key.pem');
		const certPath = join(dir, 'cert.pem');
		await promisify(execFile)(
			'openssl',
			['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-subj', '/CN=tokscope-test', '-days', '1'],
			{timeout: 20_000},
		);
		const privateKey = await importPKCS8(await readFile(keyPath, 'utf8'), 'RS256');
		const token = await new SignJWT({sub: 'x'})
			.setProtectedHeader({alg: 'RS256'})
			.setIssuer('https://auth.example.com')
			.setExpirationTime('1h')
			.sign(privateKey);
		expect(await verifyToken(token, {keyFile: certPath})).toMatchObject({status: 'valid'});
		const [header, payload] = token.split('.');
		const other = await new SignJWT({sub: 'x'}).setProtectedHeader({alg: 'RS256'}).sign((await generateKeyPair('RS256')).privateKey);
		expect((await verifyToken(`${header}.${payload}.${other.split('.')[2]}`, {keyFile: certPath})).status).toBe('invalid');
	});

	it('refuses a key file it cannot use with one sentence naming the file, not a verdict', async () => {
		const {privateKey, publicKey} = await generateKeyPair('RS256');
		const token = await new SignJWT({sub: 'x'})
			.setProtectedHeader({alg: 'RS256'})
			.setIssuer('https://auth.example.com')
			.setExpirationTime('1h')
			.sign(privateKey);
		const missing = join(dir, 'missing.pem');
		await expect(verifyToken(token, {keyFile: missing})).rejects.toThrow(`The key file ${missing} does not exist.`);
		const secretKey = join(dir, 'private.pem');
		await writeFile(secretKey, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
		await expect(verifyToken(token, {keyFile: secretKey})).rejects.toThrow(/holds a private key; give the public key/);
		const privateJwk = join(dir, 'private.jwk.json');
		await writeFile(
			privateJwk,
			JSON.stringify({keys: [await exportJWK((await generateKeyPair('RS256', {extractable: true})).privateKey)]}),
		);
		await expect(verifyToken(token, {keyFile: privateJwk})).rejects.toThrow(/holds a private key/);
		const garbage = join(dir, 'garbage.txt');
		await writeFile(garbage, 'hello');
		await expect(verifyToken(token, {keyFile: garbage})).rejects.toThrow(/neither PEM nor JSON/);
		const ecKey = join(dir, 'ec.pem');
		await writeFile(ecKey, await exportSPKI((await generateKeyPair('ES256')).publicKey));
		await expect(verifyToken(token, {keyFile: ecKey})).rejects.toThrow(/cannot check RS256 signatures/);
		const rightKey = join(dir, 'rsa.pem');
		await writeFile(rightKey, await exportSPKI(publicKey));
		expect((await verifyToken(token, {keyFile: rightKey})).status).toBe('valid');
	});

	it('calls a token that breaks the JWS rules invalid, not unreachable', async () => {
		const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const noAlg = `${b64({typ: 'JWT'})}.${b64({iss: emulator.url, sub: 'x'})}.c2ln`;
		expect(await verifyToken(noAlg)).toMatchObject({
			status: 'invalid',
			code: 'malformed',
			reason: expect.stringMatching(/not a well-formed signed JWT/),
		});
	});

	it('leaves a token unverified when its issuer serves something other than keys', async () => {
		const {privateKey} = await generateKeyPair('RS256');
		const token = await new SignJWT({sub: 'x'})
			.setProtectedHeader({alg: 'RS256'})
			.setIssuer('https://auth.example.com')
			.setExpirationTime('1h')
			.sign(privateKey);
		const verification = await verifyToken(token, {jwksUri: `${emulator.url}/no-such-path`});
		expect(verification.status).toBe('unverified');
		expect(verification.reason).toMatch(/something other than a key set/);
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
		const token = await new SignJWT({sub: 'x', aud: 'a', azp: 'b'})
			.setProtectedHeader({alg: 'RS256'})
			.setIssuer('https://169.254.169.254')
			.setExpirationTime('1h')
			.sign(privateKey);
		const verification = await verifyToken(token);
		expect(verification.status).toBe('unverified');
		expect(verification.reason).toMatch(/not fetched because/);
	});
});

/** A stand-in for Google's key endpoints on loopback: nothing in the tests may reach Google. */
async function serveKeys(keys: JWK[]): Promise<{url: string; paths: string[]; server: Server}> {
	const paths: string[] = [];
	const server = createServer((request, response) => {
		paths.push(request.url ?? '');
		response.setHeader('Content-Type', 'application/json');
		response.end(JSON.stringify({keys}));
	});
	await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths, server};
}

describe('Google’s issuer and service accounts', () => {
	it('checks accounts.google.com tokens against Google’s keys and says the issuer is Google', async () => {
		const {privateKey, publicKey} = await generateKeyPair('RS256');
		const keys = await serveKeys([{...(await exportJWK(publicKey)), kid: 'g1', alg: 'RS256', use: 'sig'}]);
		const token = await new SignJWT({azp: 'c', email: 'a@example.com'})
			.setProtectedHeader({alg: 'RS256', kid: 'g1'})
			.setIssuer('https://accounts.google.com')
			.setAudience('https://svc.run.app')
			.setSubject('1')
			.setIssuedAt()
			.setExpirationTime('1h')
			.sign(privateKey);
		try {
			expect(await verifyToken(token, {googleJwksUri: `${keys.url}/oauth2/v3/certs`})).toMatchObject({
				status: 'valid',
				google: true,
				keyId: 'g1',
				issuer: 'https://accounts.google.com',
			});
		} finally {
			keys.server.close();
		}
	});

	it('leaves a Google token unverified, never valid, when Google’s keys cannot be fetched', async () => {
		const token = await googleIssuedToken();
		// Port 9 on loopback (discard) is closed here: the same as Google being unreachable.
		const verification = await verifyToken(token, {googleJwksUri: 'http://127.0.0.1:9/certs', timeoutMs: 1000});
		expect(verification).toMatchObject({status: 'unverified', google: true});
		expect(verification.reason).toMatch(/could not be reached|timed out/);
	});

	it('follows Google’s key rotation: one fetch for many tokens, and a fetch again when a token names a new key', async () => {
		const first = await generateKeyPair('RS256');
		const published: JWK[] = [{...(await exportJWK(first.publicKey)), kid: 'g1', alg: 'RS256'}];
		const keys = await serveKeys(published);
		const sign = (key: Parameters<SignJWT['sign']>[0], kid: string) =>
			new SignJWT({azp: 'c'})
				.setProtectedHeader({alg: 'RS256', kid})
				.setIssuer('https://accounts.google.com')
				.setAudience('a')
				.setSubject('1')
				.setIssuedAt()
				.setExpirationTime('1h')
				.sign(key);
		const options = {googleJwksUri: `${keys.url}/certs`};
		vi.useFakeTimers({toFake: ['Date']});
		try {
			expect((await verifyToken(await sign(first.privateKey, 'g1'), options)).status).toBe('valid');
			expect((await verifyToken(await sign(first.privateKey, 'g1'), options)).status).toBe('valid');
			expect(keys.paths).toHaveLength(1);
			// Google publishes a new key; a token signed with it arrives once the cooldown has passed.
			const second = await generateKeyPair('RS256');
			published.push({...(await exportJWK(second.publicKey)), kid: 'g2', alg: 'RS256'});
			vi.setSystemTime(Date.now() + 31_000);
			expect(await verifyToken(await sign(second.privateKey, 'g2'), options)).toMatchObject({status: 'valid', keyId: 'g2'});
			expect(keys.paths).toHaveLength(2);
		} finally {
			vi.useRealTimers();
			keys.server.close();
		}
	});

	it('gives up on a key server that never answers within the deadline, leaving the token unverified', {tags: ['timing']}, async () => {
		const stalled = createServer(() => {});
		await new Promise<void>(done => stalled.listen(0, '127.0.0.1', done));
		const {privateKey} = await generateKeyPair('RS256');
		const token = await new SignJWT({azp: 'c'})
			.setProtectedHeader({alg: 'RS256', kid: 'g1'})
			.setIssuer('https://accounts.google.com')
			.setAudience('a')
			.setSubject('1')
			.setExpirationTime('1h')
			.sign(privateKey);
		const started = performance.now();
		try {
			const verification = await verifyToken(token, {
				googleJwksUri: `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/certs`,
				timeoutMs: 500,
			});
			expect(verification).toMatchObject({status: 'unverified', google: true});
			expect(verification.reason).toMatch(/timed out/);
			expect(performance.now() - started).toBeLessThan(2000);
		} finally {
			stalled.closeAllConnections();
			stalled.close();
		}
	});

	it('accepts only RS256 for Google’s issuer, even when the key set holds a key for another algorithm', async () => {
		const {privateKey, publicKey} = await generateKeyPair('ES256');
		const keys = await serveKeys([{...(await exportJWK(publicKey)), kid: 'e1', alg: 'ES256'}]);
		const token = await new SignJWT({azp: 'c'})
			.setProtectedHeader({alg: 'ES256', kid: 'e1'})
			.setIssuer('https://accounts.google.com')
			.setAudience('a')
			.setSubject('1')
			.setExpirationTime('1h')
			.sign(privateKey);
		try {
			expect(await verifyToken(token, {googleJwksUri: `${keys.url}/certs`})).toMatchObject({status: 'invalid', google: true});
		} finally {
			keys.server.close();
		}
	});

	it('checks a self-signed service-account JWT against that account’s published keys', async () => {
		const sa = 'runner@demo-project.iam.gserviceaccount.com';
		const {privateKey, publicKey} = await generateKeyPair('RS256');
		const keys = await serveKeys([{...(await exportJWK(publicKey)), kid: 'private-key-id', alg: 'RS256'}]);
		const token = await new SignJWT({scope: 'https://www.googleapis.com/auth/cloud-platform'})
			.setProtectedHeader({alg: 'RS256', kid: 'private-key-id'})
			.setIssuer(sa)
			.setSubject(sa)
			.setAudience('https://storage.googleapis.com/')
			.setIssuedAt()
			.setExpirationTime('1h')
			.sign(privateKey);
		try {
			const verification = await verifyToken(token, {serviceAccountJwksBase: `${keys.url}/service_accounts/v1/jwk/`});
			expect(verification).toMatchObject({status: 'valid', issuer: sa, keyId: 'private-key-id'});
			expect(keys.paths).toEqual([`/service_accounts/v1/jwk/${encodeURIComponent(sa)}`]);
		} finally {
			keys.server.close();
		}
	});
});

describe('properties', () => {
	const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

	it('never calls an unsigned token valid, whatever its claims, spelling of none, or signature part', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom('none', 'None', 'NONE', 'nOnE'),
				fc.dictionary(fc.string(), fc.jsonValue()),
				fc.constantFrom('', 'c2ln', 'AAAA'),
				async (alg, claims, signature) => {
					const verification = await verifyToken(`${b64({alg, typ: 'JWT'})}.${b64({...claims, iss: emulator.url})}.${signature}`);
					expect(verification.status).not.toBe('valid');
				},
			),
			{numRuns: 200},
		);
	});

	it('never calls an HS256 token valid without its secret', async () => {
		await fc.assert(
			fc.asyncProperty(fc.string({minLength: 1}), fc.string({minLength: 1}), async (secret, guess) => {
				fc.pre(secret !== guess);
				const token = await new SignJWT({sub: 'x'})
					.setProtectedHeader({alg: 'HS256'})
					.setIssuer(emulator.url)
					.setExpirationTime('1h')
					.sign(new TextEncoder().encode(secret));
				expect((await verifyToken(token)).status).toBe('unverified');
				expect((await verifyToken(token, {secret: guess})).status).toBe('invalid');
			}),
			{numRuns: 100},
		);
	});
});

describe('what happened to a key fetch is said as it happened', () => {
	it('says Google’s keys refused the connection, not that they timed out', async () => {
		const token = await googleIssuedToken();
		const closed = createServer();
		await new Promise<void>(done => closed.listen(0, '127.0.0.1', done));
		const {port} = closed.address() as AddressInfo;
		await new Promise(done => closed.close(done));
		const verification = await verifyToken(token, {googleJwksUri: `http://127.0.0.1:${port}/certs`, timeoutMs: 5000});
		expect(verification).toMatchObject({status: 'unverified', google: true});
		expect(verification.reason).toBe(
			`Google’s published keys could not be reached (http://127.0.0.1:${port} refused the connection), ` +
				'so the signature could not be checked.',
		);
	});

	it('says an issuer refused the connection rather than that discovery took 5 s', async () => {
		const closed = createServer();
		await new Promise<void>(done => closed.listen(0, '127.0.0.1', done));
		const issuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
		await new Promise(done => closed.close(done));
		const {privateKey} = await generateKeyPair('RS256');
		const token = await new SignJWT({sub: 'x'})
			.setProtectedHeader({alg: 'RS256'})
			.setIssuer(issuer)
			.setExpirationTime('1h')
			.sign(privateKey);
		const verification = await verifyToken(token);
		expect(verification.status).toBe('unverified');
		expect(verification.reason).toContain(`${issuer} refused the connection`);
		expect(verification.reason).not.toMatch(/within/);
	});

	it('checks a token whose claims nest 6,000 deep without a stack overflow', async () => {
		const {privateKey} = await generateKeyPair('RS256');
		// Written as text: JSON.stringify itself overflows on such a value, which is the point.
		const exp = Math.floor(Date.now() / 1000) + 3600;
		const claims = `{"sub":"x","iss":"https://auth.example.com","exp":${exp},"deep":${'['.repeat(6000)}${']'.repeat(6000)}}`;
		const token = await new CompactSign(new TextEncoder().encode(claims)).setProtectedHeader({alg: 'RS256'}).sign(privateKey);
		const keyFile = join(dir, 'deep-check.pem');
		await writeFile(keyFile, await exportSPKI((await generateKeyPair('RS256')).publicKey));
		expect((await verifyToken(token, {keyFile})).status).toBe('invalid');
	});
});
