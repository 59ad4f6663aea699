import type {AuthClient} from 'google-auth-library';
import {TokscopeError} from '../core/errors.js';
import type {RawToken} from '../core/types.js';
import {defaultTimeoutMs, timed, withDeadline} from './deadline.js';
import {explainFailure, type FailureContext} from './errors.js';

/** Asks a library client for an access token under our deadline, turning failures into sentences. */
export async function accessFromClient(client: AuthClient, context: FailureContext, scopes: string[], timeoutMs = defaultTimeoutMs): Promise<RawToken> {
	try {
		const {value, latencyMs, fetchedAt} = await timed(() => withDeadline(client.getAccessToken(), timeoutMs, endpointLabel(context)));
		if (!value.token) throw new TokscopeError(`${endpointLabel(context)} returned no access token.`);
		const expiry = client.credentials.expiry_date;
		return {token: value.token, type: 'access', scopes, expiresAt: expiry ? new Date(expiry) : undefined, fetchedAt, latencyMs};
	} catch (error) {
		throw explainFailure(error, context);
	}
}

/** Runs an ID-token fetch under our deadline; the token's own `exp` says when it expires. */
export async function idFromWork(work: () => Promise<string>, context: FailureContext, audience: string, timeoutMs = defaultTimeoutMs): Promise<RawToken> {
	try {
		const {value, latencyMs, fetchedAt} = await timed(() => withDeadline(work(), timeoutMs, endpointLabel(context)));
		return {token: value, type: 'id', audience, expiresAt: await jwtExpiry(value), fetchedAt, latencyMs};
	} catch (error) {
		throw explainFailure(error, context);
	}
}

function endpointLabel(context: FailureContext): string {
	return {iam: 'IAM Credentials', oauth: 'The OAuth token endpoint', metadata: 'The metadata server', sts: 'The Security Token Service'}[context.via];
}

/** jose loads only when an ID token arrives, so access-token grabs do not pay for it. */
export async function jwtExpiry(token: string): Promise<Date | undefined> {
	const {decodeJwt} = await import('jose');
	try {
		const exp = decodeJwt(token).exp;
		return exp ? new Date(exp * 1000) : undefined;
	} catch {
		return undefined;
	}
}

/** One claim of a JWT the source just received (not verified: only to name who it is for). */
export async function jwtClaim(token: string, name: string): Promise<unknown> {
	const {decodeJwt} = await import('jose');
	try {
		return decodeJwt(token)[name];
	} catch {
		return undefined;
	}
}
