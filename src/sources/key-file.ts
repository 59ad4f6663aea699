import {JWTAccess} from 'google-auth-library';
import {TokscopeError} from '../core/errors.js';
import type {RawToken} from '../core/types.js';
import {serviceAccountClient} from './clients.js';
import type {CredentialFile} from './credential-file.js';
import type {CredentialTokens} from './credential-tokens.js';
import {foreignUrlWarnings} from './endpoints.js';
import type {FailureContext} from './errors.js';
import {accessFromClient, idFromWork, jwtExpiry} from './fetch-token.js';

// Google APIs accept a JWT signed by the key itself in place of an access token; without an audience the library
// scopes it instead, so any API accepts it. This is the audience it would pick for IAM Credentials.
const selfSignedDefaultAudience = 'https://iamcredentials.googleapis.com/';

/** A service-account key: an access token and an ID token from its token_uri, and the self-signed JWT that needs no endpoint. */
export function serviceAccountTokens(file: CredentialFile, timeoutMs?: number): CredentialTokens {
	const {json, path} = file;
	const email = String(json.client_email);
	const context = (want: 'access' | 'id'): FailureContext => ({want, via: 'oauth', credential: 'service-account'});
	return {
		principal: email,
		projectId: typeof json.project_id === 'string' ? json.project_id : undefined,
		idTokens: true,
		warnings: foreignUrlWarnings([['token_uri', json.token_uri as string | undefined]], path),
		client: async scopes => serviceAccountClient(file, scopes),
		accessToken: scopes => accessFromClient(serviceAccountClient(file, scopes), context('access'), scopes, timeoutMs),
		idToken: request => idFromWork(() => serviceAccountClient(file, []).fetchIdToken(request.audience), context('id'), request.audience, timeoutMs),
		selfSignedJwt: async ({audience, scopes}): Promise<RawToken> => {
			const started = performance.now();
			let token: string;
			try {
				const signer = new JWTAccess(email, String(json.private_key), json.private_key_id as string | undefined);
				const headers = signer.getRequestHeaders(audience ?? selfSignedDefaultAudience, undefined, audience ? undefined : scopes);
				token = (headers.get('authorization') ?? '').replace(/^Bearer /, '');
			} catch {
				throw new TokscopeError(`The private_key in ${path} could not sign a JWT: it is not a usable RSA private key.`);
			}
			return {
				token,
				type: 'access',
				scopes: audience ? undefined : scopes,
				audience: audience ?? (scopes?.length ? undefined : selfSignedDefaultAudience),
				expiresAt: await jwtExpiry(token),
				fetchedAt: new Date(),
				latencyMs: Math.round(performance.now() - started),
				notes: ['Signed locally by the key: no token endpoint was called, and Google cannot revoke it before it expires.'],
			};
		},
	};
}
