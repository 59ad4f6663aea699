import {ExternalAccountAuthorizedUserClient, JWTAccess, type AuthClient} from 'google-auth-library';
import {TokscopeError} from '../core/errors.js';
import type {RawToken} from '../core/types.js';
import {externalClient, impersonatedClient, parseImpersonationUrl, serviceAccountClient, userClient, type ImpersonationTarget} from './clients.js';
import {parseCredentialJson, type CredentialFile} from './credential-file.js';
import {accessFromClient, idFromWork, jwtExpiry} from './fetch-token.js';
import {foreignUrlWarnings} from './endpoints.js';
import type {FailureContext} from './errors.js';
import type {IdTokenRequest} from './types.js';

/** Mints tokens from one credential file, whatever its type, and says who it acts as. */
export interface CredentialTokens {
	principal: string | undefined;
	idTokens: true | string;
	warnings: string[];
	/** A google-auth-library client for this credential, to impersonate on top of. */
	client(scopes: string[]): AuthClient;
	accessToken(scopes: string[]): Promise<RawToken>;
	idToken(request: IdTokenRequest): Promise<RawToken>;
	/** Only service-account keys: the JWT Google APIs accept directly as an access token, with no token endpoint. */
	selfSignedJwt?(request: {audience?: string; scopes?: string[]}): Promise<RawToken>;
}

const userIdTokenLimit =
	'A user credential can only mint ID tokens whose audience is its own OAuth client, not an arbitrary service. Impersonate a service account (--impersonate-service-account SA, needs roles/iam.serviceAccountOpenIdTokenCreator) or use a service-account key instead.';

export function impersonationTokens(source: () => AuthClient, target: ImpersonationTarget, principalNote: string[] = []): CredentialTokens {
	const context = (want: 'access' | 'id'): FailureContext => ({want, via: 'iam', serviceAccount: target.target});
	return {
		principal: target.target,
		idTokens: true,
		warnings: principalNote,
		client: scopes => impersonatedClient(source(), target, scopes),
		accessToken: scopes => accessFromClient(impersonatedClient(source(), target, scopes), context('access'), scopes),
		idToken: request =>
			idFromWork(() => impersonatedClient(source(), target, []).fetchIdToken(request.audience, {includeEmail: request.includeEmail ?? false}), context('id'), request.audience),
	};
}

export function credentialTokens(file: CredentialFile): CredentialTokens {
	const {json, path} = file;
	switch (file.type) {
		case 'service_account': {
			const email = String(json.client_email);
			const context = (want: 'access' | 'id'): FailureContext => ({want, via: 'oauth', credential: 'service-account'});
			return {
				principal: email,
				idTokens: true,
				warnings: foreignUrlWarnings([['token_uri', json.token_uri as string | undefined]], path),
				client: scopes => serviceAccountClient(file, scopes),
				accessToken: scopes => accessFromClient(serviceAccountClient(file, scopes), context('access'), scopes),
				idToken: request => idFromWork(() => serviceAccountClient(file, []).fetchIdToken(request.audience), context('id'), request.audience),
				selfSignedJwt: async ({audience, scopes}) => {
					const started = performance.now();
					const access = new JWTAccess(email, String(json.private_key), json.private_key_id as string | undefined);
					const headers = access.getRequestHeaders(audience ?? 'https://iamcredentials.googleapis.com/', undefined, audience ? undefined : scopes);
					const token = (headers.get('authorization') ?? '').replace(/^Bearer /, '');
					return {token, type: 'access', scopes, audience, expiresAt: await jwtExpiry(token), fetchedAt: new Date(), latencyMs: Math.round(performance.now() - started)};
				},
			};
		}
		case 'authorized_user': {
			const context = (want: 'access' | 'id'): FailureContext => ({want, via: 'oauth', credential: 'user'});
			const clientId = String(json.client_id);
			return {
				principal: undefined,
				idTokens: userIdTokenLimit,
				warnings: foreignUrlWarnings([['token_uri', json.token_uri as string | undefined]], path),
				client: () => userClient(json),
				accessToken: scopes => accessFromClient(userClient(json), context('access'), scopes),
				idToken: async request => {
					if (request.audience !== clientId) throw new TokscopeError(userIdTokenLimit);
					const client = userClient(json);
					return idFromWork(
						async () => {
							await client.getAccessToken();
							if (!client.credentials.id_token) throw new TokscopeError('The token endpoint returned no ID token for this user credential (it needs the openid scope).');
							return client.credentials.id_token;
						},
						context('id'),
						request.audience,
					);
				},
			};
		}
		case 'impersonated_service_account': {
			const url = String(json.service_account_impersonation_url);
			const target = parseImpersonationUrl(url, Array.isArray(json.delegates) ? (json.delegates as string[]).map(d => d.replace(/^projects\/-\/serviceAccounts\//, '')) : []);
			const source = credentialTokens(parseCredentialJson(JSON.stringify(json.source_credentials), `${path} (source_credentials)`));
			const tokens = impersonationTokens(() => source.client(['https://www.googleapis.com/auth/cloud-platform']), target, [
				...foreignUrlWarnings([['service_account_impersonation_url', url]], path),
				...source.warnings,
			]);
			return tokens;
		}
		case 'external_account': {
			const warnings = foreignUrlWarnings(
				[
					['token_url', json.token_url as string | undefined],
					['service_account_impersonation_url', json.service_account_impersonation_url as string | undefined],
					['credential_source.url', (json.credential_source as {url?: string} | undefined)?.url],
				],
				path,
			);
			if (typeof json.service_account_impersonation_url === 'string') {
				return impersonationTokens(() => externalClient(file), parseImpersonationUrl(json.service_account_impersonation_url), warnings);
			}
			return {
				principal: typeof json.audience === 'string' ? `federated principal of ${json.audience}` : undefined,
				idTokens:
					'A federated (workload identity) credential cannot mint ID tokens by itself; add service account impersonation to the credential configuration (service_account_impersonation_url) to get them.',
				warnings,
				client: () => externalClient(file),
				accessToken: scopes => accessFromClient(externalClient(file), {want: 'access', via: 'sts', credential: 'external'}, scopes),
				idToken: async () => {
					throw new TokscopeError('A federated (workload identity) credential cannot mint ID tokens without service account impersonation (service_account_impersonation_url).');
				},
			};
		}
		case 'external_account_authorized_user': {
			const client = () => new ExternalAccountAuthorizedUserClient(json as unknown as ConstructorParameters<typeof ExternalAccountAuthorizedUserClient>[0]);
			return {
				principal: undefined,
				idTokens: 'A workforce identity federation user credential cannot mint ID tokens; impersonate a service account instead.',
				warnings: foreignUrlWarnings([['token_url', json.token_url as string | undefined]], path),
				client,
				accessToken: scopes => accessFromClient(client(), {want: 'access', via: 'sts', credential: 'user'}, scopes),
				idToken: async () => {
					throw new TokscopeError('A workforce identity federation user credential cannot mint ID tokens; impersonate a service account instead.');
				},
			};
		}
	}
}
