import {TokscopeError} from '../core/errors.js';
import type {RawToken} from '../core/types.js';
import type {CredentialTokens} from './credential-tokens.js';
import {defaultScopes} from './endpoints.js';
import type {AccessTokenRequest, IdTokenRequest, SourceId, SourceInfo, TokenSource} from './types.js';

/** A TokenSource over CredentialTokens resolved lazily (reading files and probing only when first asked). */
export function tokenSourceOf(id: SourceId, label: string, resolve: () => Promise<{tokens: CredentialTokens; info: Omit<SourceInfo, 'id' | 'idTokens' | 'principal'>}>): TokenSource {
	let resolved: ReturnType<typeof resolve> | undefined;
	const get = () => (resolved ??= resolve().catch(error => {
		resolved = undefined; // a fixed file or a server that came back is picked up next time
		throw error;
	}));
	return {
		id,
		label,
		async describe() {
			const {tokens, info} = await get();
			return {...info, id, principal: tokens.principal, projectId: info.projectId ?? tokens.projectId, idTokens: tokens.idTokens, warnings: [...info.warnings, ...tokens.warnings]};
		},
		async accessToken(request: AccessTokenRequest = {}) {
			const scopes = request.scopes?.length ? request.scopes : defaultScopes;
			return (await get()).tokens.accessToken(scopes);
		},
		async idToken(request: IdTokenRequest) {
			if (!request.audience) throw new TokscopeError('An ID token needs an audience: the URL of the service it is for (for Cloud Run, the service URL).');
			return (await get()).tokens.idToken(request);
		},
		async selfSignedJwt(request: {audience?: string; scopes?: string[]}): Promise<RawToken> {
			const {tokens} = await get();
			if (!tokens.selfSignedJwt) throw new TokscopeError('Only a service-account key can sign its own JWT access token.');
			return tokens.selfSignedJwt(request);
		},
	};
}
