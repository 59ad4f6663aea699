import type {IncomingMessage} from 'node:http';
import {createPublicKey} from 'node:crypto';
import {compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload} from 'jose';
import type {Authority} from '../authority.js';

/**
 * What a caller put in `Authorization`, as a front end sees it before deciding: nothing, something that is not a
 * JWT (an access token, or garbage), or a JWT with the facts each product checks in its own order.
 */
export type Presented =
	| {kind: 'none'}
	| {kind: 'opaque'; token: string; accessToken: boolean}
	| {kind: 'jwt'; token: string; claims: JWTPayload; signedByGoogle: boolean; expired: boolean; principal: string | undefined};

export async function presentedToken(request: IncomingMessage, authority: Authority): Promise<Presented> {
	const header = request.headers.authorization?.trim();
	if (!header) return {kind: 'none'};
	const match = /^Bearer\s+(\S+)$/i.exec(header);
	if (!match?.[1]) return {kind: 'opaque', token: header, accessToken: false};
	const token = match[1];
	let claims: JWTPayload;
	try {
		decodeProtectedHeader(token);
		claims = decodeJwt(token);
	} catch {
		return {kind: 'opaque', token, accessToken: token.startsWith('ya29.') || authority.knownAccessToken(token) !== undefined};
	}
	const signedByGoogle = claims.iss === authority.issuer && (await verifies(token, authority));
	const expired = typeof claims.exp !== 'number' || claims.exp <= authority.clock.epochSeconds();
	const principal =
		typeof claims.email === 'string'
			? claims.email
			: typeof claims.sub === 'string'
				? (authority.principalOf(claims.sub) ?? claims.sub)
				: undefined;
	return {kind: 'jwt', token, claims, signedByGoogle, expired, principal};
}

async function verifies(token: string, authority: Authority): Promise<boolean> {
	try {
		await compactVerify(token, createPublicKey(authority.signingKey), {algorithms: ['RS256']});
		return true;
	} catch {
		return false;
	}
}

/** The `aud` claim as a list (a JWT may carry one string or several). */
export function audiencesOf(claims: JWTPayload): string[] {
	return typeof claims.aud === 'string'
		? [claims.aud]
		: Array.isArray(claims.aud)
			? claims.aud.filter(value => typeof value === 'string')
			: [];
}

/** `serviceAccount:a@b`, `user:a@b` or a bare email, as the email IAM compares. */
export function memberEmail(member: string): string {
	return member
		.replace(/^(serviceAccount|user|group):/, '')
		.trim()
		.toLowerCase();
}
