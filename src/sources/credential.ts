import {gcloudClientId} from '../core/google.js';
import {TokscopeError} from '../core/errors.js';
import {defaultScopes} from './endpoints.js';
import type {AccessTokenRequest, IdTokenRequest, SourceBody, SourceId, SourceInfo} from './types.js';

// What the credential kinds (service-account key, authorized user, federation, the metadata server, impersonation on
// top of any of them) share. Each kind is a source body itself; impersonation stands on one through its access token.

/** A source body built on one credential; impersonation stands on its accessToken(). */
export type Credential = SourceBody;

/** Where the source found its credential, and what the credential needs to reach its endpoints. */
export interface Found {
	id: SourceId;
	/** One line for describe(): where the credential came from. */
	origin: string;
	details: string[];
	credentialType?: string;
	env: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/** A federation config reads its subject token from this file instead (SourceOptions.subjectTokenFile). */
	subjectTokenFile?: string;
}

/** describe() of a credential: where the source found it, and what the credential says about itself. */
export function describeFound(
	found: Found,
	facts: Pick<SourceInfo, 'principal' | 'caller' | 'projectId' | 'idTokens' | 'warnings'>,
): SourceInfo {
	return {id: found.id, origin: found.origin, details: found.details, credentialType: found.credentialType, ...facts};
}

/** The scopes asked for, or cloud-platform, as gcloud and the client libraries default to. */
export function scopesOf(request: AccessTokenRequest = {}): string[] {
	return request.scopes?.length ? request.scopes : defaultScopes;
}

/**
 * Checked before anything is sent: an ID token is always for someone (`ownDefault` when the caller asked for the default):
 * by default gcloud's own client ID, for a service-account key, impersonation and the metadata server alike, as gcloud
 * does (`_RefreshGoogleAuthIdToken` in googlecloudsdk/core/credentials/store.py).
 */
export function audienceOf(request: IdTokenRequest, ownDefault = gcloudClientId): string {
	if (!request.audience && request.useDefaultAudience) return ownDefault;
	if (!request.audience) {
		throw new TokscopeError('usage', 'An ID token needs an audience: the URL of the service it is for (for Cloud Run, the service URL).');
	}
	return request.audience;
}
