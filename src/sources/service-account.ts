import {serviceAccountClient} from './library/clients.js';
import {audienceOf, describeFound, scopesOf, type Credential, type Found} from './credential.js';
import {credentialFileFor, type CredentialFile} from './credential-file.js';
import {foreignUrlWarnings} from './endpoints.js';
import type {FailureContext} from './errors.js';
import {accessFromClient, idFromWork} from './library/mint.js';
import type {SourceBody, SourceOptions} from './types.js';
import type {TokenType} from '../core/types.js';

/** A service-account key: an access token and an ID token from its token_uri. */
export function serviceAccountCredential(file: CredentialFile, found: Found): Credential {
	const {json, path} = file;
	// The key's account, so that a refusal's sentence and fix name it (a deleted key, a disabled account).
	const account = typeof json.client_email === 'string' ? {serviceAccount: json.client_email} : {};
	const context = (want: TokenType): FailureContext => ({want, via: 'oauth', credential: 'service-account', ...account});
	const facts = {
		principal: String(json.client_email),
		projectId: typeof json.project_id === 'string' ? json.project_id : undefined,
		idTokens: true as const,
		warnings: foreignUrlWarnings([['token_uri', json.token_uri as string | undefined]], path),
	};
	return {
		describe: async () => describeFound(found, facts),
		delegates: true,
		accessToken: async request => {
			const scopes = scopesOf(request);
			return accessFromClient(serviceAccountClient(file, scopes, request?.subject), context('access'), scopes, found.timeoutMs);
		},
		idToken: async request => {
			const audience = audienceOf(request);
			return idFromWork(() => serviceAccountClient(file, []).idToken(audience), context('id'), audience, found.timeoutMs);
		},
	};
}

/** The key-file source: a service-account JSON key named by --key-file or $GOOGLE_APPLICATION_CREDENTIALS. */
export async function keyFileSource(options: SourceOptions): Promise<SourceBody> {
	const {file, origin} = await credentialFileFor(options, ['service_account']);
	const {source: id, env = process.env, timeoutMs} = options;
	return serviceAccountCredential(file, {id, origin, details: [], credentialType: file.type, env, timeoutMs});
}
