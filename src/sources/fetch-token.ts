import type {AuthClient} from 'google-auth-library';
import {TokscopeError} from '../core/errors.js';
import type {RawToken} from '../core/types.js';
import {defaultTimeoutMs, timed, withDeadline} from '../io/deadline.js';
import {endpointName, explainAuthFailure, type FailureContext} from './errors.js';

// The one place a library client is asked for a token: under our deadline, its failures turned into sentences.

/** Asks a library client for an access token under our deadline, turning failures into sentences. */
export async function accessFromClient(client: AuthClient, context: FailureContext, scopes: string[], timeoutMs = defaultTimeoutMs): Promise<RawToken> {
	try {
		const {value, latencyMs, fetchedAt} = await timed(() => withDeadline(client.getAccessToken(), timeoutMs, endpointName(context)));
		if (!value.token) throw new TokscopeError(`${endpointName(context)} returned no access token.`);
		const expiry = client.credentials.expiry_date;
		return {token: value.token, type: 'access', scopes, expiresAt: expiry ? new Date(expiry) : undefined, fetchedAt, latencyMs};
	} catch (error) {
		throw explainAuthFailure(error, context);
	}
}

/** Runs an ID-token fetch under our deadline; the token's own `exp` says when it expires. */
export async function idFromWork(work: () => Promise<string>, context: FailureContext, audience: string, timeoutMs = defaultTimeoutMs): Promise<RawToken> {
	try {
		const {value, latencyMs, fetchedAt} = await timed(() => withDeadline(work(), timeoutMs, endpointName(context)));
		return {token: value, type: 'id', audience, expiresAt: await jwtExpiry(value), fetchedAt, latencyMs};
	} catch (error) {
		throw explainAuthFailure(error, context);
	}
}

/**
 * What a token the source just received says about itself (not verified: only to know when it expires and whom it names),
 * read by core's decoder; loaded only when a token needs reading, so access-token grabs do not pay for jose.
 */
async function claimsOf(token: string): Promise<{expiresAt: Date | null; claims: Record<string, unknown> | null} | undefined> {
	const {decodeToken} = await import('../core/decode.js');
	try {
		return decodeToken(token);
	} catch {
		return undefined;
	}
}

export async function jwtExpiry(token: string): Promise<Date | undefined> {
	return (await claimsOf(token))?.expiresAt ?? undefined;
}

export async function jwtClaim(token: string, name: string): Promise<unknown> {
	return (await claimsOf(token))?.claims?.[name];
}
