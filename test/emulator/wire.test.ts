import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createRemoteJWKSet, decodeJwt, jwtVerify} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';

let emulator: Emulator;
const md = (path: string, headers: Record<string, string> = {'Metadata-Flavor': 'Google'}) =>
	fetch(`${emulator.url}/computeMetadata/v1/${path}`, {headers});

beforeAll(async () => {
	emulator = await startEmulator({tokenLifetimeSeconds: 3600});
});
afterAll(() => emulator.close());

describe('metadata server', () => {
	it('refuses requests without Metadata-Flavor and returns the header on every answer', async () => {
		const refused = await md('project/project-id', {});
		expect(refused.status).toBe(403);
		const answered = await md('project/project-id');
		expect(answered.headers.get('metadata-flavor')).toBe('Google');
		expect(await answered.text()).toBe('tokscope-demo');
	});

	it('lists service accounts and answers recursive JSON, email, scopes and project facts', async () => {
		expect(await (await md('instance/service-accounts/')).text()).toBe(`default/\n${emulator.serviceAccountEmail}/\n`);
		const recursive = (await (await md('instance/service-accounts/default/?recursive=true')).json()) as {email: string; aliases: string[]};
		expect(recursive).toMatchObject({email: emulator.serviceAccountEmail, aliases: ['default']});
		expect(await (await md(`instance/service-accounts/${emulator.serviceAccountEmail}/email`)).text()).toBe(emulator.serviceAccountEmail);
		expect(await (await md('instance/service-accounts/default/scopes')).text()).toContain('https://www.googleapis.com/auth/cloud-platform');
		expect(await (await md('project/numeric-project-id')).text()).toMatch(/^\d+$/);
		expect(await (await md('instance/zone')).text()).toMatch(/^projects\/\d+\/zones\/us-central1-a$/);
		expect(await (await md('universe/universe-domain')).text()).toBe('googleapis.com');
	});

	it('issues access tokens like Google: 3599 seconds for an hour, requested scopes honoured', async () => {
		const body = (await (
			await md('instance/service-accounts/default/token?scopes=https://www.googleapis.com/auth/devstorage.read_only')
		).json()) as Record<string, unknown>;
		expect(body).toMatchObject({expires_in: 3599, token_type: 'Bearer'});
		expect(String(body.access_token)).toMatch(/^ya29\./);
		const info = (await (await fetch(`${emulator.url}/tokeninfo?access_token=${String(body.access_token)}`)).json()) as Record<
			string,
			unknown
		>;
		expect(info.scope).toBe('https://www.googleapis.com/auth/devstorage.read_only');
		expect(typeof info.expires_in).toBe('string');
		expect(info.email).toBe(emulator.serviceAccountEmail);
	});

	it('mints ID tokens for an audience with standard and full formats, verifiable through discovery', async () => {
		const audience = 'https://svc.run.app/path?x=1&y=2';
		const standard = await (await md(`instance/service-accounts/default/identity?audience=${encodeURIComponent(audience)}`)).text();
		const claims = decodeJwt(standard);
		expect(claims).toMatchObject({aud: audience, iss: emulator.url});
		expect(claims.email).toBeUndefined();
		const full = decodeJwt(await (await md(`instance/service-accounts/default/identity?audience=a&format=full&licenses=TRUE`)).text());
		expect(full).toMatchObject({email: emulator.serviceAccountEmail, email_verified: true});
		expect((full.google as {compute_engine: Record<string, unknown>}).compute_engine).toMatchObject({
			project_id: 'tokscope-demo',
			license_id: ['1000201'],
		});
		const discovery = (await (await fetch(`${emulator.url}/.well-known/openid-configuration`)).json()) as {
			issuer: string;
			jwks_uri: string;
		};
		expect(discovery.issuer).toBe(emulator.url);
		const {payload} = await jwtVerify(standard, createRemoteJWKSet(new URL(discovery.jwks_uri)), {issuer: emulator.url, audience});
		expect(payload.sub).toMatch(/^\d{21}$/);
	});
});

describe('OAuth, IAM Credentials and credential files', () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'tokscope-wire-'));
	});
	afterAll(() => rm(dir, {recursive: true, force: true}));

	it('writes credential files that point at itself, readable only by the owner', async () => {
		const files = await emulator.writeCredentialFiles(dir);
		const key = JSON.parse(await readFile(files.serviceAccountKey, 'utf8')) as Record<string, string>;
		expect(key).toMatchObject({type: 'service_account', client_email: emulator.serviceAccountEmail, token_uri: `${emulator.url}/token`});
		expect((await stat(files.serviceAccountKey)).mode & 0o077).toBe(0);
		const user = JSON.parse(await readFile(files.authorizedUser, 'utf8')) as Record<string, string>;
		expect(user.type).toBe('authorized_user');
		const impersonated = JSON.parse(await readFile(files.impersonated, 'utf8')) as Record<string, string>;
		expect(impersonated.service_account_impersonation_url).toContain(`${emulator.url}/v1/projects/-/serviceAccounts/`);
	});

	it('answers a revoked refresh token with Google’s invalid_grant body', async () => {
		const response = await fetch(`${emulator.url}/token`, {
			method: 'POST',
			body: new URLSearchParams({grant_type: 'refresh_token', refresh_token: 'nope', client_id: 'x', client_secret: 'y'}),
		});
		expect(response.status).toBe(401);
		const files = await emulator.writeCredentialFiles(dir);
		const user = JSON.parse(await readFile(files.authorizedUser, 'utf8')) as Record<string, string>;
		const revoked = await fetch(`${emulator.url}/token`, {
			method: 'POST',
			body: new URLSearchParams({
				grant_type: 'refresh_token',
				refresh_token: 'revoked',
				client_id: user.client_id!,
				client_secret: user.client_secret!,
			}),
		});
		expect(revoked.status).toBe(400);
		expect(await revoked.json()).toEqual({error: 'invalid_grant', error_description: 'Token has been expired or revoked.'});
	});

	it('requires a valid Bearer for IAM Credentials and mints impersonated tokens', async () => {
		const target = 'target@tokscope-demo.iam.gserviceaccount.com';
		const iam = (method: string, body: unknown, token?: string) =>
			fetch(`${emulator.url}/v1/projects/-/serviceAccounts/${target}:${method}`, {
				method: 'POST',
				headers: {'Content-Type': 'application/json', ...(token ? {Authorization: `Bearer ${token}`} : {})},
				body: JSON.stringify(body),
			});
		expect((await iam('generateAccessToken', {scope: ['x']})).status).toBe(401);
		const {access_token: caller} = (await (await md('instance/service-accounts/default/token')).json()) as {access_token: string};
		const access = (await (
			await iam('generateAccessToken', {scope: ['https://www.googleapis.com/auth/cloud-platform'], lifetime: '600s'}, caller)
		).json()) as {accessToken: string; expireTime: string};
		expect(access.accessToken).toMatch(/^ya29\./);
		expect(Date.parse(access.expireTime) - Date.now()).toBeLessThanOrEqual(600_000);
		const id = (await (
			await iam('generateIdToken', {audience: 'https://a.run.app', includeEmail: true, useEmailAzp: true}, caller)
		).json()) as {token: string};
		expect(decodeJwt(id.token)).toMatchObject({aud: 'https://a.run.app', email: target, azp: target});
	});
});

describe('faults', () => {
	it('answers with a set status only as many times as asked, then recovers', async () => {
		emulator.setFault('/project/project-id', {status: 500, times: 1});
		expect((await md('project/project-id')).status).toBe(500);
		expect((await md('project/project-id')).status).toBe(200);
	});

	it('drops connections and stalls until the client gives up', {tags: ['timing']}, async () => {
		emulator.setFault('/instance/zone', {drop: true});
		await expect(md('instance/zone')).rejects.toThrow();
		emulator.setFault('/instance/zone', {stall: true});
		const started = Date.now();
		await expect(
			fetch(`${emulator.url}/computeMetadata/v1/instance/zone`, {headers: {'Metadata-Flavor': 'Google'}, signal: AbortSignal.timeout(300)}),
		).rejects.toThrow();
		expect(Date.now() - started).toBeLessThan(2000);
		emulator.clearFaults();
		expect((await md('instance/zone')).status).toBe(200);
	});

	it('delays answers by the set time', {tags: ['timing']}, async () => {
		emulator.setFault('/project/project-id', {delayMs: 300, times: 1});
		const started = Date.now();
		expect((await md('project/project-id')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});
});
