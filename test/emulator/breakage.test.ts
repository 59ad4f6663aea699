import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {decodeJwt, importPKCS8, SignJWT} from 'jose';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {breakageCatalog, startEmulator, type CredentialFiles, type Emulator} from '../../src/emulator/index.js';

let emulator: Emulator;
let dir: string;
let files: CredentialFiles;
const flavor = {'Metadata-Flavor': 'Google'};
const md = (leaf: string, init: RequestInit = {}) =>
	fetch(`${emulator.url}/computeMetadata/v1/instance/service-accounts/default/${leaf}`, {headers: flavor, ...init});

beforeAll(async () => {
	emulator = await startEmulator({services: false});
	dir = await mkdtemp(join(tmpdir(), 'tokscope-breakage-'));
	files = await emulator.writeCredentialFiles(dir);
});
afterEach(() => emulator.heal());
afterAll(async () => {
	await emulator.close();
	await rm(dir, {recursive: true, force: true});
});

async function accessToken(): Promise<string> {
	return ((await (await md('token')).json()) as {access_token: string}).access_token;
}

function iam(method: 'generateAccessToken' | 'generateIdToken', token: string): Promise<Response> {
	return fetch(`${emulator.url}/v1/projects/-/serviceAccounts/tokscope-target@tokscope-demo.iam.gserviceaccount.com:${method}`, {
		method: 'POST',
		headers: {Authorization: `Bearer ${token}`, 'Content-Type': 'application/json'},
		body: JSON.stringify(method === 'generateIdToken' ? {audience: 'a'} : {scope: ['https://www.googleapis.com/auth/cloud-platform']}),
	});
}

async function userRefresh(): Promise<Response> {
	const user = JSON.parse(await readFile(files.authorizedUser, 'utf8')) as Record<string, string>;
	return fetch(user.token_uri!, {
		method: 'POST',
		body: new URLSearchParams({
			grant_type: 'refresh_token',
			refresh_token: user.refresh_token!,
			client_id: user.client_id!,
			client_secret: user.client_secret!,
		}),
	});
}

/** A jwt-bearer assertion signed with the emulator's service-account key, as a client library builds it. */
async function keyFileGrant(): Promise<Response> {
	const key = JSON.parse(await readFile(files.serviceAccountKey, 'utf8')) as Record<string, string>;
	const now = Math.floor(Date.now() / 1000);
	const assertion = await new SignJWT({scope: 'https://www.googleapis.com/auth/cloud-platform'})
		.setProtectedHeader({alg: 'RS256', kid: key.private_key_id})
		.setIssuer(key.client_email!)
		.setAudience('https://oauth2.googleapis.com/token')
		.setIssuedAt(now)
		.setExpirationTime(now + 3600)
		.sign(await importPKCS8(key.private_key!, 'RS256'));
	return fetch(key.token_uri!, {
		method: 'POST',
		body: new URLSearchParams({grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion}),
	});
}

describe('break-it controls', () => {
	it('offer one menu entry per breakage, each with a sentence', () => {
		expect(breakageCatalog.map(entry => entry.kind)).toEqual([
			'server-error',
			'permission-denied',
			'stall',
			'revoked-refresh-token',
			'clock-skew',
			'expire-now',
		]);
		for (const entry of breakageCatalog) expect(entry.explains).toMatch(/\.$/);
	});

	it('server-error: every token endpoint answers 500 in its own words, tokeninfo still answers, heal restores', async () => {
		const caller = await accessToken();
		emulator.breakIt({kind: 'server-error'});
		expect(emulator.broken()).toEqual([{kind: 'server-error'}]);
		const metadata = await md('token');
		expect(metadata.status).toBe(500);
		expect(await metadata.text()).toBe('Could not fetch URI /computeMetadata/v1/instance/service-accounts/default/token\n');
		expect((await md('identity?audience=a')).status).toBe(500);
		expect((await keyFileGrant()).status).toBe(500);
		expect(await (await iam('generateIdToken', caller)).json()).toEqual({
			error: {code: 500, message: 'Internal error encountered.', status: 'INTERNAL'},
		});
		expect((await fetch(`${emulator.url}/tokeninfo?access_token=${caller}`)).status).toBe(200);
		emulator.heal();
		expect(emulator.broken()).toEqual([]);
		expect((await md('token')).status).toBe(200);
	});

	it('server-error for the next N requests only, then it heals itself', async () => {
		emulator.breakIt({kind: 'server-error'}, {times: 2});
		expect((await md('token')).status).toBe(500);
		expect((await md('token')).status).toBe(500);
		expect((await md('token')).status).toBe(200);
	});

	it('permission-denied: IAM Credentials answers 403 naming the permission each method needs', async () => {
		const caller = await accessToken();
		emulator.breakIt({kind: 'permission-denied'});
		const id = await iam('generateIdToken', caller);
		expect(id.status).toBe(403);
		expect(await id.json()).toMatchObject({
			error: {
				code: 403,
				message: "Permission 'iam.serviceAccounts.getOpenIdToken' denied on resource (or it may not exist).",
				status: 'PERMISSION_DENIED',
				details: [
					{
						'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
						reason: 'IAM_PERMISSION_DENIED',
						metadata: {permission: 'iam.serviceAccounts.getOpenIdToken'},
					},
				],
			},
		});
		expect(((await (await iam('generateAccessToken', caller)).json()) as {error: {message: string}}).error.message).toContain(
			'iam.serviceAccounts.getAccessToken',
		);
		expect((await md('token')).status).toBe(200);
	});

	it('stall: token requests hang until the client gives up; healing ends the ones in flight', {tags: ['timing']}, async () => {
		emulator.breakIt({kind: 'stall'});
		await expect(md('token', {signal: AbortSignal.timeout(300)})).rejects.toThrow();
		const inFlight = md('identity?audience=a');
		await new Promise(resolve => setTimeout(resolve, 100));
		const started = Date.now();
		emulator.heal();
		await expect(inFlight).rejects.toThrow();
		expect(Date.now() - started).toBeLessThan(2000);
		expect((await md('token')).status).toBe(200);
	});

	it('revoked-refresh-token: the user credential gets invalid_grant until healed', async () => {
		expect((await userRefresh()).status).toBe(200);
		emulator.breakIt({kind: 'revoked-refresh-token'});
		const revoked = await userRefresh();
		expect(revoked.status).toBe(400);
		expect(await revoked.json()).toEqual({error: 'invalid_grant', error_description: 'Token has been expired or revoked.'});
		emulator.heal();
		expect((await userRefresh()).status).toBe(200);
	});

	it('clock-skew: tokens are stamped with the skewed time, and a key-file grant from a "correct" client is refused', async () => {
		emulator.breakIt({kind: 'clock-skew', seconds: 600});
		const ahead = decodeJwt(await (await md('identity?audience=a')).text());
		expect(ahead.iat! - Date.now() / 1000).toBeGreaterThan(590);
		expect((await keyFileGrant()).status).toBe(200); // ten minutes old is still "short-lived"

		emulator.breakIt({kind: 'clock-skew', seconds: -600});
		const refused = await keyFileGrant();
		expect(refused.status).toBe(400);
		expect(await refused.json()).toEqual({
			error: 'invalid_grant',
			error_description:
				'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp ' +
				'values and use a clock with skew to account for clock differences between systems.',
		});
		emulator.heal();
		expect((await keyFileGrant()).status).toBe(200);
	});

	it('expire-now: issued access tokens stop working and new tokens arrive expired', async () => {
		const before = await accessToken();
		emulator.breakIt({kind: 'expire-now'});
		expect((await fetch(`${emulator.url}/tokeninfo?access_token=${before}`)).status).toBe(400);
		expect(await (await md('token')).json()).toMatchObject({expires_in: 0});
		const id = decodeJwt(await (await md('identity?audience=a')).text());
		expect(id.exp).toBe(id.iat);
		emulator.heal();
		expect(await (await md('token')).json()).toMatchObject({expires_in: 3599});
	});
});
