import {createHash, randomBytes} from 'node:crypto';
import type {OAuthClientFile} from './login-client.js';

// What the browser is sent to: the authorization request with PKCE (RFC 7636, S256) and `state` (RFC 6749 §10.12).

/** A high-entropy verifier (43 characters, the minimum RFC 7636 allows, from 32 random bytes) and its S256 challenge. */
export function pkcePair(): {verifier: string; challenge: string} {
	const verifier = randomBytes(32).toString('base64url');
	return {verifier, challenge: createHash('sha256').update(verifier).digest('base64url')};
}

export function authorizationUrl(
	client: Pick<OAuthClientFile, 'authUri' | 'clientId'>,
	request: {redirectUri: string; scopes: string[]; state: string; challenge: string},
): string {
	const url = new URL(client.authUri);
	const params: Record<string, string> = {
		client_id: client.clientId,
		redirect_uri: request.redirectUri,
		response_type: 'code',
		scope: request.scopes.join(' '),
		state: request.state,
		code_challenge: request.challenge,
		code_challenge_method: 'S256',
		// A refresh token every time, even for a user who consented before (Google sends one only on consent).
		access_type: 'offline',
		prompt: 'consent',
	};
	for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
	return url.toString();
}

/** An unguessable `state`: an answer that does not carry it back belongs to another sign-in, or was forged. */
export function newState(): string {
	return randomBytes(24).toString('base64url');
}
