import type {AuthClient} from 'google-auth-library';
import type {RawToken} from '../core/types.js';
import {authorizedUserTokens} from './authorized-user.js';
import {parseCredentialJson, type CredentialFile} from './credential-file.js';
import {externalAccountTokens, externalUserTokens} from './external.js';
import {impersonatedFileTokens} from './impersonate.js';
import {serviceAccountTokens} from './key-file.js';
import type {IdTokenRequest} from './types.js';

/** Mints tokens from one credential, whatever its type, and says who it acts as. */
export interface CredentialTokens {
	principal: string | undefined;
	/** The project the credential belongs to, when it says. */
	projectId?: string;
	/** True, or the sentence explaining why this credential cannot mint ID tokens for any audience. */
	idTokens: true | string;
	warnings: string[];
	/** A google-auth-library client for this credential, to impersonate on top of (loaded only then, hence async). */
	client(scopes: string[]): Promise<AuthClient>;
	accessToken(scopes: string[]): Promise<RawToken>;
	idToken(request: IdTokenRequest): Promise<RawToken>;
	/** Only service-account keys: the JWT Google APIs accept directly as an access token, with no token endpoint. */
	selfSignedJwt?(request: {audience?: string; scopes?: string[]}): Promise<RawToken>;
}

/** Dispatches a credential file to the module that knows its type. */
export function credentialTokens(file: CredentialFile, env: NodeJS.ProcessEnv = process.env, timeoutMs?: number): CredentialTokens {
	switch (file.type) {
		case 'service_account':
			return serviceAccountTokens(file, timeoutMs);
		case 'authorized_user':
			return authorizedUserTokens(file, timeoutMs);
		case 'impersonated_service_account': {
			const source = credentialTokens(parseCredentialJson(JSON.stringify(file.json.source_credentials), `${file.path} (source_credentials)`), env, timeoutMs);
			return impersonatedFileTokens(file, source, timeoutMs);
		}
		case 'external_account':
			return externalAccountTokens(file, env, timeoutMs);
		case 'external_account_authorized_user':
			return externalUserTokens(file, timeoutMs);
	}
}
