import {TokscopeError} from '../../core/errors.js';
import {expectExpiry, expectTokenShape} from '../../core/token-shape.js';
import type {RawToken} from '../../core/types.js';
import {defaultTimeoutMs, timed} from '../../io/deadline.js';
import {endpointName, explainAuthFailure, type FailureContext} from '../errors.js';
import {jwtExpiry} from '../token-claims.js';
import type {LibraryClient} from './client.js';
import {underDeadline} from './request-deadline.js';

// The one place a library client is asked for a token: under our deadline, its failures turned into sentences.

/**
 * A failure's context, and for impersonation who calls IAM: asked only when a call failed, because the caller may be
 * known only after it (a user's refresh answer names them).
 */
export type MintContext = FailureContext & {whoCalls?: () => Promise<string | undefined>};

async function explained(error: unknown, {whoCalls, ...context}: MintContext): Promise<TokscopeError> {
	const caller = context.caller ?? (await whoCalls?.().catch(() => undefined));
	return explainAuthFailure(error, {...context, caller});
}

/** Asks a library client for an access token under our deadline, turning failures into sentences. */
export async function accessFromClient(
	client: LibraryClient,
	context: MintContext,
	scopes: string[],
	timeoutMs = defaultTimeoutMs,
): Promise<RawToken> {
	try {
		const {value, latencyMs, fetchedAt} = await timed(() => underDeadline(() => client.accessToken(), endpointName(context), timeoutMs));
		if (!value.token) throw new TokscopeError('bad-answer', `${endpointName(context)} returned no access token.`);
		const token = expectTokenShape(value.token, 'access', endpointName(context));
		const expiresAt = expectExpiry(value.expiryMs, fetchedAt, endpointName(context));
		return {token, type: 'access', scopes, expiresAt, fetchedAt, latencyMs};
	} catch (error) {
		throw await explained(error, {...context, scopes});
	}
}

/** Runs an ID-token fetch under our deadline; the token's own `exp` says when it expires. */
export async function idFromWork(
	work: () => Promise<string>,
	context: MintContext,
	audience: string,
	timeoutMs = defaultTimeoutMs,
): Promise<RawToken> {
	try {
		const {value, latencyMs, fetchedAt} = await timed(() => underDeadline(work, endpointName(context), timeoutMs));
		const token = expectTokenShape(typeof value === 'string' ? value.trim() : '', 'id', endpointName(context));
		return {token, type: 'id', audience, expiresAt: await jwtExpiry(token), fetchedAt, latencyMs};
	} catch (error) {
		throw await explained(error, context);
	}
}
