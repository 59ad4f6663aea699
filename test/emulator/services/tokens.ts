import {generateKeyPairSync} from 'node:crypto';
import {SignJWT} from 'jose';
import type {Emulator} from '../../../src/emulator/index.js';

// Real tokens from the running emulator, fetched the way clients fetch them: over HTTP from its metadata server and
// IAM Credentials. Nothing here signs a token the emulator would sign itself.

const flavor = {'Metadata-Flavor': 'Google'};

export async function metadataIdToken(emulator: Emulator, audience: string, format: 'standard' | 'full' = 'full'): Promise<string> {
	const identity = `${emulator.url}/computeMetadata/v1/instance/service-accounts/default/identity`;
	const url = `${identity}?audience=${encodeURIComponent(audience)}&format=${format}`;
	const response = await fetch(url, {headers: flavor});
	if (!response.ok) throw new Error(`metadata identity answered ${response.status}`);
	return response.text();
}

export async function metadataAccessToken(emulator: Emulator, scopes?: string[]): Promise<string> {
	const query = scopes ? `?scopes=${encodeURIComponent(scopes.join(','))}` : '';
	const response = await fetch(`${emulator.url}/computeMetadata/v1/instance/service-accounts/default/token${query}`, {headers: flavor});
	return ((await response.json()) as {access_token: string}).access_token;
}

/** An ID token for another service account, through IAM Credentials with the VM's access token. */
export async function impersonatedIdToken(emulator: Emulator, target: string, audience: string): Promise<string> {
	const caller = await metadataAccessToken(emulator);
	const response = await fetch(`${emulator.url}/v1/projects/-/serviceAccounts/${target}:generateIdToken`, {
		method: 'POST',
		headers: {Authorization: `Bearer ${caller}`, 'Content-Type': 'application/json'},
		body: JSON.stringify({audience, includeEmail: true}),
	});
	return ((await response.json()) as {token: string}).token;
}

/** An ID token that expired the moment it was issued (the demo's "tokens expire now"). */
export async function expiredIdToken(emulator: Emulator, audience: string): Promise<string> {
	emulator.breakIt({kind: 'expire-now'});
	try {
		return await metadataIdToken(emulator, audience);
	} finally {
		emulator.heal();
	}
}

/** Shaped like the emulator's own ID token, same issuer and claims, but signed with a key that is not Google's. */
export async function foreignIdToken(emulator: Emulator, audience: string, issuer = emulator.url): Promise<string> {
	const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
	return new SignJWT({aud: audience, azp: '1', email: emulator.serviceAccountEmail, email_verified: true})
		.setProtectedHeader({alg: 'RS256', kid: 'not-google', typ: 'JWT'})
		.setIssuer(issuer)
		.setSubject('100000000000000000001')
		.setIssuedAt()
		.setExpirationTime('1h')
		.sign(privateKey);
}

export function call(url: string, token?: string, init: RequestInit = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	if (token) headers.set('Authorization', `Bearer ${token}`);
	return fetch(url, {...init, headers, redirect: 'manual'});
}
