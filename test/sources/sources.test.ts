import {mkdir, copyFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {decodeJwt} from 'jose';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {decodeToken} from '../../src/core/decode.js';
import {createSource, detectSources} from '../../src/sources/index.js';
import {startFixture, type Fixture} from './fixture.js';

let fixture: Fixture;
beforeAll(async () => {
	fixture = await startFixture();
});
afterAll(() => fixture.close());
afterEach(() => fixture.emulator.clearFaults());

const audience = 'https://hello-abc123.a.run.app/?q=1&x=2';

describe('key-file: all three kinds of token from a service-account key', () => {
	it('mints an access token, an ID token and a self-signed JWT, honouring token_uri', async () => {
		const source = createSource({source: 'key-file', keyFile: fixture.files.serviceAccountKey});
		const access = await source.accessToken();
		expect(decodeToken(access.token).kind).toBe('google-access-token');
		expect(access.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
		expect(fixture.emulator.requests.some(r => r.method === 'POST' && r.path === '/token')).toBe(true);
		const id = await source.idToken({audience});
		expect(decodeJwt(id.token)).toMatchObject({aud: audience, email: fixture.emulator.serviceAccountEmail});
		const selfSigned = await source.selfSignedJwt!({audience: 'https://pubsub.googleapis.com/'});
		expect(decodeToken(selfSigned.token).kind).toBe('self-signed-jwt');
		expect(decodeJwt(selfSigned.token)).toMatchObject({iss: fixture.emulator.serviceAccountEmail, sub: fixture.emulator.serviceAccountEmail, aud: 'https://pubsub.googleapis.com/'});
		expect(selfSigned.expiresAt!.getTime() - Date.now()).toBeGreaterThan(3_500_000);
		// Scoped instead of aimed at one API: what the library sends when it may skip the token endpoint.
		const scoped = decodeJwt((await source.selfSignedJwt!({scopes: ['https://www.googleapis.com/auth/cloud-platform']})).token);
		expect(scoped).toMatchObject({scope: 'https://www.googleapis.com/auth/cloud-platform'});
		expect(scoped.aud).toBeUndefined();
		const info = await source.describe();
		expect(info).toMatchObject({principal: fixture.emulator.serviceAccountEmail, projectId: fixture.emulator.projectId, credentialType: 'service_account', warnings: []});
	});

	it('names the file and the fault when a key is missing, malformed or of the wrong kind', async () => {
		const broken = join(fixture.dir, 'broken.json');
		await writeFile(broken, '{"type": "service_account", "client_email": ');
		await expect(createSource({source: 'key-file', keyFile: join(fixture.dir, 'nope.json')}).accessToken()).rejects.toThrow(/nope\.json does not exist/);
		await expect(createSource({source: 'key-file', keyFile: broken}).accessToken()).rejects.toThrow(/broken\.json is not valid JSON/);
		await expect(createSource({source: 'key-file', keyFile: fixture.files.authorizedUser}).accessToken()).rejects.toThrow(/is an authorized_user file, not service_account/);
		await expect(createSource({source: 'key-file'}).accessToken()).rejects.toThrow(/--key-file/);
	});

	it('still reaches a loopback token endpoint when a proxy is configured, and names a proxy that is down', async () => {
		const saved = {HTTPS_PROXY: process.env.HTTPS_PROXY, HTTP_PROXY: process.env.HTTP_PROXY};
		process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
		process.env.HTTP_PROXY = 'http://127.0.0.1:9';
		try {
			expect((await createSource({source: 'key-file', keyFile: fixture.files.serviceAccountKey}).accessToken()).token).toMatch(/^ya29\./);
			const {readFile} = await import('node:fs/promises');
			const key = JSON.parse(await readFile(fixture.files.serviceAccountKey, 'utf8')) as Record<string, unknown>;
			const remote = join(fixture.dir, 'remote-token-uri.json');
			await writeFile(remote, JSON.stringify({...key, token_uri: 'https://oauth2.private.example/token'}));
			await expect(createSource({source: 'key-file', keyFile: remote}).accessToken()).rejects.toThrow(
				'https://oauth2.private.example/token could not be reached through the proxy 127.0.0.1:9 (from HTTPS_PROXY/HTTP_PROXY) (connection refused) while asking the OAuth token endpoint for a token.',
			);
		} finally {
			Object.assign(process.env, saved);
			if (!saved.HTTPS_PROXY) delete process.env.HTTPS_PROXY;
			if (!saved.HTTP_PROXY) delete process.env.HTTP_PROXY;
		}
	});
});

describe('metadata server', () => {
	it('mints both kinds, with the audience encoded intact and format=full adding the instance', async () => {
		const source = createSource({source: 'metadata', env: fixture.env()});
		expect((await source.accessToken({scopes: ['https://www.googleapis.com/auth/devstorage.read_only']})).scopes).toEqual(['https://www.googleapis.com/auth/devstorage.read_only']);
		const id = await source.idToken({audience, format: 'full', includeLicenses: true});
		const claims = decodeJwt(id.token);
		expect(claims.aud).toBe(audience);
		expect(claims.google).toMatchObject({compute_engine: {project_id: 'tokscope-demo'}});
		expect(await source.describe()).toMatchObject({principal: fixture.emulator.serviceAccountEmail, projectId: fixture.emulator.projectId});
	});

	it('fails in under 3 seconds with a sentence when no metadata server is there, or it never answers', async () => {
		let started = Date.now();
		await expect(createSource({source: 'metadata', env: fixture.env({GCE_METADATA_HOST: '127.0.0.1:1'})}).accessToken()).rejects.toThrow(/metadata server is not reachable/);
		expect(Date.now() - started).toBeLessThan(3000);
		fixture.emulator.setFault('/computeMetadata/', {stall: true});
		started = Date.now();
		await expect(createSource({source: 'metadata', env: fixture.env()}).idToken({audience})).rejects.toThrow(/metadata server is not reachable/);
		expect(Date.now() - started).toBeLessThan(3000);
	});

	it('gives up on a token endpoint that stalls after the deadline, with a sentence', async () => {
		fixture.emulator.setFault('/token', {stall: true});
		const started = Date.now();
		await expect(createSource({source: 'key-file', keyFile: fixture.files.serviceAccountKey, timeoutMs: 500}).accessToken()).rejects.toThrow('The OAuth token endpoint did not answer within 0.5 s.');
		expect(Date.now() - started).toBeLessThan(1500);
	});
});

describe('Application Default Credentials', () => {
	it('uses $GOOGLE_APPLICATION_CREDENTIALS first and says so', async () => {
		const info = await createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey})}).describe();
		expect(info.origin).toBe(`service_account file from $GOOGLE_APPLICATION_CREDENTIALS (${fixture.files.serviceAccountKey})`);
		expect(info.details).toEqual([]);
	});

	it('falls to gcloud’s well-known file under CLOUDSDK_CONFIG and explains the skipped link', async () => {
		const config = join(fixture.dir, 'gcloud-config');
		await mkdir(config, {recursive: true});
		await copyFile(fixture.files.authorizedUser, join(config, 'application_default_credentials.json'));
		const source = createSource({source: 'adc', env: fixture.env({CLOUDSDK_CONFIG: config})});
		const info = await source.describe();
		expect(info.origin).toContain("authorized_user file from gcloud's well-known location");
		expect(info.details).toEqual(['Skipped: GOOGLE_APPLICATION_CREDENTIALS is not set.']);
		expect(info.idTokens).toMatch(/can only mint ID tokens whose audience is its own OAuth client/);
		expect(info.principal).toBeUndefined();
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
		// The file names no account; the ID token in the refresh answer does.
		expect((await source.describe()).principal).toBe(fixture.emulator.userEmail);
		await expect(source.idToken({audience})).rejects.toThrow(/user credential can only mint ID tokens/);
		// Its own OAuth client is the one audience Google allows, as gcloud auth print-identity-token does for users.
		const {readFile} = await import('node:fs/promises');
		const clientId = String((JSON.parse(await readFile(fixture.files.authorizedUser, 'utf8')) as {client_id: string}).client_id);
		expect(decodeJwt((await source.idToken({audience: clientId})).token)).toMatchObject({aud: clientId, email: fixture.emulator.userEmail});
	});

	it('ends at the metadata server and lists why each earlier link was skipped', async () => {
		const info = await createSource({source: 'adc', env: fixture.env()}).describe();
		expect(info.origin).toBe(`the metadata server at ${fixture.emulator.host}`);
		expect(info.details).toEqual([
			'Skipped: GOOGLE_APPLICATION_CREDENTIALS is not set.',
			`Skipped: there is no gcloud ADC file at ${join(fixture.dir, 'gcloud-empty', 'application_default_credentials.json')} (from CLOUDSDK_CONFIG).`,
		]);
	});

	it('stops at a broken $GOOGLE_APPLICATION_CREDENTIALS, naming the file and why it does not look further', async () => {
		const missing = join(fixture.dir, 'deleted-key.json');
		await expect(createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: missing})}).describe()).rejects.toThrow(
			`The credential file ${missing} does not exist (it is named by $GOOGLE_APPLICATION_CREDENTIALS, and ADC stops there rather than trying gcloud's file or the metadata server).`,
		);
	});

	it('warns, before any request, about a user credential whose token_uri is not Google', async () => {
		const {readFile} = await import('node:fs/promises');
		const json = JSON.parse(await readFile(fixture.files.authorizedUser, 'utf8')) as Record<string, unknown>;
		const foreign = join(fixture.dir, 'foreign-user.json');
		await writeFile(foreign, JSON.stringify({...json, token_uri: 'https://oauth.attacker.example/token'}));
		const before = fixture.emulator.requests.length;
		const info = await createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: foreign})}).describe();
		expect(info.warnings).toEqual([`token_uri in ${foreign} points to oauth.attacker.example, which is not Google: the credential will be sent there.`]);
		expect(fixture.emulator.requests.length).toBe(before);
	});

	it('tells a user whose refresh token was revoked how to renew it', async () => {
		fixture.emulator.setFault('/token', {status: 400, body: {error: 'invalid_grant', error_description: 'Token has been expired or revoked.'}});
		const error = await createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser})})
			.accessToken()
			.then(() => ({message: "no error", hint: undefined as string | undefined}), (caught: unknown) => caught as {message: string; hint?: string});
		expect(error.message).toBe('The refresh token was revoked or has expired (invalid_grant).');
		expect(error.hint).toContain('gcloud auth application-default login');
	});

	it('follows an impersonated_service_account file through its own URLs', async () => {
		const source = createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.impersonated})});
		expect((await source.describe()).principal).toBe('tokscope-target@tokscope-demo.iam.gserviceaccount.com');
		expect(decodeJwt((await source.idToken({audience, includeEmail: true})).token).email).toBe('tokscope-target@tokscope-demo.iam.gserviceaccount.com');
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
	});
});

describe('impersonation through IAM Credentials', () => {
	const target = 'runner@tokscope-demo.iam.gserviceaccount.com';
	const delegate = 'hop@tokscope-demo.iam.gserviceaccount.com';

	it('mints both kinds along a delegation chain in gcloud order', async () => {
		const source = createSource({source: 'impersonate', impersonate: [delegate, target], env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey})});
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
		expect(decodeJwt((await source.idToken({audience, includeEmail: true})).token)).toMatchObject({aud: audience, email: target});
		expect(await source.describe()).toMatchObject({principal: target, projectId: 'tokscope-demo'});
		expect((await source.describe()).origin).toContain(`acting as ${target} through ${delegate}`);
	});

	it('impersonates on top of the metadata server when ADC ends there', async () => {
		const source = createSource({source: 'impersonate', impersonate: [target], env: fixture.env()});
		expect(decodeJwt((await source.idToken({audience, includeEmail: true})).token).email).toBe(target);
		expect((await source.describe()).origin).toBe(`IAM Credentials acting as ${target}, called by ${fixture.emulator.serviceAccountEmail} (the metadata server at ${fixture.emulator.host})`);
	});

	it('names the missing role and the service account on 403', async () => {
		const source = createSource({source: 'impersonate', impersonate: [target], env: fixture.env()});
		fixture.emulator.setFault(':generateAccessToken', {status: 403, body: {error: {code: 403, message: "Permission 'iam.serviceAccounts.getAccessToken' denied", status: 'PERMISSION_DENIED'}}});
		await expect(source.accessToken()).rejects.toThrow(`needs roles/iam.serviceAccountTokenCreator on that service account`);
		fixture.emulator.setFault(':generateIdToken', {status: 403, body: {error: {code: 403, message: 'denied', status: 'PERMISSION_DENIED'}}});
		await expect(source.idToken({audience})).rejects.toThrow(`may not mint ID tokens for ${target}: it needs roles/iam.serviceAccountOpenIdTokenCreator`);
	});

	it('says the service account does not exist on 404, and refuses a list entry that is not an email', async () => {
		const source = createSource({source: 'impersonate', impersonate: [target], env: fixture.env()});
		fixture.emulator.setFault(':generateAccessToken', {status: 404, body: {error: {code: 404, message: 'Not found; Gaia id not found for email', status: 'NOT_FOUND'}}});
		await expect(source.accessToken()).rejects.toThrow(`IAM Credentials does not know the service account ${target} (HTTP 404)`);
		await expect(createSource({source: 'impersonate', impersonate: ['runner', target], env: fixture.env()}).accessToken()).rejects.toThrow(
			'--impersonate-service-account takes service account emails, and "runner" is not one.',
		);
	});

	it('warns when a service account impersonates itself', async () => {
		const source = createSource({source: 'impersonate', impersonate: [fixture.emulator.serviceAccountEmail], env: fixture.env()});
		expect((await source.describe()).warnings.join(' ')).toMatch(/impersonating itself/);
	});
});

describe('workload identity federation', () => {
	it('exchanges a file-sourced subject token and mints ID tokens through impersonation', async () => {
		const source = createSource({source: 'external', keyFile: fixture.files.externalAccount, env: fixture.env()});
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
		expect(fixture.emulator.requests.some(r => r.path === '/v1/token')).toBe(true);
		expect(decodeJwt((await source.idToken({audience})).token).aud).toBe(audience);
	});

	it('explains that federation without impersonation cannot mint ID tokens', async () => {
		const {readFile} = await import('node:fs/promises');
		const json = JSON.parse(await readFile(fixture.files.externalAccount, 'utf8')) as Record<string, unknown>;
		delete json.service_account_impersonation_url;
		const plain = join(fixture.dir, 'plain-external.json');
		await writeFile(plain, JSON.stringify(json));
		const source = createSource({source: 'external', keyFile: plain, env: fixture.env()});
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
		await expect(source.idToken({audience})).rejects.toThrow(/cannot mint ID tokens without service account impersonation/);
	});

	it('warns before using a credential file that sends tokens away from Google', async () => {
		const {readFile} = await import('node:fs/promises');
		const json = JSON.parse(await readFile(fixture.files.externalAccount, 'utf8')) as Record<string, unknown>;
		const evil = join(fixture.dir, 'evil-external.json');
		await writeFile(evil, JSON.stringify({...json, token_url: 'https://sts.attacker.example/v1/token'}));
		const info = await createSource({source: 'external', keyFile: evil, env: fixture.env()}).describe();
		expect(info.warnings.join(' ')).toContain('token_url in');
		expect(info.warnings.join(' ')).toContain('sts.attacker.example, which is not Google');
	});
});

describe('paste and detection', () => {
	it('takes a pasted token as it is, typed by what it decodes to', async () => {
		const id = await createSource({source: 'key-file', keyFile: fixture.files.serviceAccountKey}).idToken({audience});
		const pasted = await createSource({source: 'paste', token: `${id.token}\n`}).idToken({audience: 'ignored'});
		expect(pasted).toMatchObject({token: id.token, type: 'id'});
		await expect(createSource({source: 'paste', token: 'not a token at all'}).accessToken()).rejects.toThrow(/not a token/);
	});

	it('detects what is there right now, quickly', async () => {
		const started = Date.now();
		const detected = await detectSources(fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey}));
		expect(Date.now() - started).toBeLessThan(2000);
		expect(detected.adc).toContain('service_account file from $GOOGLE_APPLICATION_CREDENTIALS');
		expect(detected.metadata).toContain(fixture.emulator.serviceAccountEmail);
		expect(detected['key-file']).toContain('key from $GOOGLE_APPLICATION_CREDENTIALS');
		const absent = await detectSources(fixture.env({GCE_METADATA_HOST: '127.0.0.1:1', PATH: ''}));
		expect(absent.metadata).toBe('metadata server: not reachable');
		expect(absent.gcloud).toBe('gcloud CLI not installed');
		const broken = join(fixture.dir, 'gone.json');
		expect((await detectSources(fixture.env({GOOGLE_APPLICATION_CREDENTIALS: broken}))).adc).toBe(`$GOOGLE_APPLICATION_CREDENTIALS (${broken}) cannot be used`);
	});
});
