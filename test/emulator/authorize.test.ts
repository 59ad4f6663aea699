import {createHash, randomBytes} from 'node:crypto';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createRemoteJWKSet, jwtVerify} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';

// The installed-app flow end to end, with plain HTTP: the test plays the browser (it loads the authorization URL and
// submits the consent form) and the client (it exchanges the code at the token endpoint).

let emulator: Emulator;
let dir: string;
let client: {client_id: string; client_secret: string; auth_uri: string; token_uri: string; redirect_uris: string[]};
const redirectUri = 'http://127.0.0.1:53682/callback';

beforeAll(async () => {
	emulator = await startEmulator();
	dir = await mkdtemp(join(tmpdir(), 'tokscope-authorize-'));
	const files = await emulator.writeCredentialFiles(dir);
	client = (JSON.parse(await readFile(files.oauthClient, 'utf8')) as {installed: typeof client}).installed;
});
afterAll(async () => {
	await emulator.close();
	await rm(dir, {recursive: true, force: true});
});

function pkce(): {verifier: string; challenge: string} {
	const verifier = randomBytes(32).toString('base64url');
	return {verifier, challenge: createHash('sha256').update(verifier).digest('base64url')};
}

function authorizationUrl(overrides: Record<string, string | undefined> = {}, challenge = pkce().challenge): string {
	const url = new URL(client.auth_uri);
	const params: Record<string, string | undefined> = {
		client_id: client.client_id,
		redirect_uri: redirectUri,
		response_type: 'code',
		scope: 'openid email https://www.googleapis.com/auth/cloud-platform',
		state: 'state-123',
		code_challenge: challenge,
		code_challenge_method: 'S256',
		...overrides,
	};
	for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
	return url.toString();
}

/** Loads the consent page and submits one of its two forms, as a browser would; returns where it was sent. */
async function decide(url: string, decision: 'allow' | 'deny'): Promise<URL> {
	const page = await fetch(url);
	expect(page.status).toBe(200);
	const html = await page.text();
	const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
	const consent = /name="consent" value="([^"]+)"/.exec(html)?.[1];
	expect(html).toContain(emulator.userEmail);
	const answer = await fetch(new URL(action!, url), {
		method: 'POST',
		body: new URLSearchParams({consent: consent!, decision}),
		redirect: 'manual',
	});
	expect(answer.status).toBe(302);
	return new URL(answer.headers.get('location')!);
}

function exchange(code: string, verifier: string | undefined, overrides: Record<string, string> = {}): Promise<Response> {
	const form: Record<string, string> = {
		grant_type: 'authorization_code',
		code,
		client_id: client.client_id,
		client_secret: client.client_secret,
		redirect_uri: redirectUri,
		...(verifier ? {code_verifier: verifier} : {}),
		...overrides,
	};
	return fetch(client.token_uri, {method: 'POST', body: new URLSearchParams(form)});
}

describe('the OAuth client file', () => {
	it('has the installed shape Cloud Console downloads, pointing at the emulator', () => {
		expect(client).toMatchObject({
			auth_uri: `${emulator.url}/o/oauth2/auth`,
			token_uri: `${emulator.url}/token`,
			redirect_uris: ['http://localhost'],
		});
		expect(client.client_id).toMatch(/\.apps\.googleusercontent\.com$/);
		expect(client.client_id).toBe(emulator.oauthClient.id);
	});
});

describe('sign-in with PKCE', () => {
	it('Allow → code and state back at the loopback redirect → tokens, with an ID token for the client', async () => {
		const {verifier, challenge} = pkce();
		const back = await decide(authorizationUrl({}, challenge), 'allow');
		expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
		expect(back.searchParams.get('state')).toBe('state-123');
		const code = back.searchParams.get('code')!;
		expect(code).toMatch(/^4\/0/);

		const response = await exchange(code, verifier);
		expect(response.status).toBe(200);
		const tokens = (await response.json()) as Record<string, string | number>;
		expect(tokens).toMatchObject({
			token_type: 'Bearer',
			scope: 'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/cloud-platform',
		});
		expect(String(tokens.access_token)).toMatch(/^ya29\./);
		expect(String(tokens.refresh_token)).toMatch(/^1\/\//);
		const jwks = createRemoteJWKSet(new URL(`${emulator.url}/oauth2/v3/certs`));
		const {payload} = await jwtVerify(String(tokens.id_token), jwks, {issuer: emulator.url, audience: client.client_id});
		expect(payload).toMatchObject({azp: client.client_id, email: emulator.userEmail, email_verified: true});

		// The refresh token refreshes, and the access token says who signed in.
		const refreshed = await fetch(client.token_uri, {
			method: 'POST',
			body: new URLSearchParams({
				grant_type: 'refresh_token',
				refresh_token: String(tokens.refresh_token),
				client_id: client.client_id,
				client_secret: client.client_secret,
			}),
		});
		expect(refreshed.status).toBe(200);
		const info = await (
			await fetch(`${emulator.url}/v1/userinfo`, {headers: {Authorization: `Bearer ${String(tokens.access_token)}`}})
		).json();
		expect(info).toMatchObject({email: emulator.userEmail, email_verified: true});
	});

	it('Deny → error=access_denied with the state, and no code', async () => {
		const back = await decide(authorizationUrl(), 'deny');
		expect(back.searchParams.get('error')).toBe('access_denied');
		expect(back.searchParams.get('state')).toBe('state-123');
		expect(back.searchParams.has('code')).toBe(false);
	});

	it('answers invalid_grant to a wrong verifier, a missing one and a code used twice', async () => {
		const {verifier, challenge} = pkce();
		const wrong = await exchange((await decide(authorizationUrl({}, challenge), 'allow')).searchParams.get('code')!, pkce().verifier);
		expect(wrong.status).toBe(400);
		expect(await wrong.json()).toEqual({error: 'invalid_grant', error_description: 'Invalid code verifier.'});

		const missing = await exchange((await decide(authorizationUrl({}, challenge), 'allow')).searchParams.get('code')!, undefined);
		expect(await missing.json()).toEqual({error: 'invalid_grant', error_description: 'Missing code verifier.'});

		const code = (await decide(authorizationUrl({}, challenge), 'allow')).searchParams.get('code')!;
		expect((await exchange(code, verifier)).status).toBe(200);
		const reused = await exchange(code, verifier);
		expect(reused.status).toBe(400);
		expect(await reused.json()).toEqual({error: 'invalid_grant', error_description: 'Bad Request'});

		expect(await (await exchange('4/0made-up', verifier)).json()).toEqual({
			error: 'invalid_grant',
			error_description: 'Malformed auth code.',
		});
		const code2 = (await decide(authorizationUrl({}, challenge), 'allow')).searchParams.get('code')!;
		expect(await (await exchange(code2, verifier, {redirect_uri: 'http://127.0.0.1:9/other'})).json()).toMatchObject({
			error: 'redirect_uri_mismatch',
		});
	});

	it('returns the state unchanged: checking it is the client’s job, not the server’s', async () => {
		const back = await decide(authorizationUrl({state: 'anything the client chose'}), 'allow');
		expect(back.searchParams.get('state')).toBe('anything the client chose');
	});

	it('accepts any loopback port and refuses other redirect URIs and unknown clients with an error page', async () => {
		expect((await fetch(authorizationUrl({redirect_uri: 'http://localhost:8085/'}))).status).toBe(200);
		expect((await fetch(authorizationUrl({redirect_uri: 'http://[::1]:8085/'}))).status).toBe(200);
		const foreign = await fetch(authorizationUrl({redirect_uri: 'https://evil.example.com/cb'}), {redirect: 'manual'});
		expect(foreign.status).toBe(400);
		expect(await foreign.text()).toContain('redirect_uri_mismatch');
		const unknown = await fetch(authorizationUrl({client_id: 'nobody.apps.googleusercontent.com'}), {redirect: 'manual'});
		expect(unknown.status).toBe(401);
		expect(await unknown.text()).toContain('invalid_client');
	});

	it('sends a request without PKCE S256, state or scope back with invalid_request', async () => {
		for (const overrides of [{code_challenge: undefined}, {code_challenge_method: 'plain'}, {state: undefined}, {scope: undefined}]) {
			const response = await fetch(authorizationUrl(overrides), {redirect: 'manual'});
			expect(response.status).toBe(302);
			expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
		}
	});

	it('lists in discovery only endpoints that answer', async () => {
		const discovery = (await (await fetch(`${emulator.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
		for (const key of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri']) {
			const response = await fetch(String(discovery[key]), {method: key === 'token_endpoint' ? 'POST' : 'GET', redirect: 'manual'});
			expect(response.status, key).not.toBe(404);
		}
		expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
	});
});
