import {TokscopeError} from '../core/errors.js';
import {isGcloudClient} from '../core/google.js';
import {command} from '../core/shell-quote.js';
import {userClient} from './library/clients.js';
import {accessFromClient, idFromWork} from './library/mint.js';
import {audienceOf, describeFound, scopesOf, type Credential, type Found} from './credential.js';
import type {CredentialFile} from './credential-file.js';
import {foreignUrlWarnings} from './endpoints.js';
import type {FailureContext} from './errors.js';
import {jwtClaim} from './token-claims.js';
import type {TokenType} from '../core/types.js';

const userIdTokenLimit =
	'A user credential can only mint ID tokens whose audience is its own OAuth client, not an arbitrary service. ' +
	'Impersonate a service account (--impersonate-service-account SA, needs ' +
	'roles/iam.serviceAccountOpenIdTokenCreator) or use a service-account key instead.';

/** gcloud's `application-default login` file: a refresh token for a user, posted to its token_uri. */
export function authorizedUserCredential(file: CredentialFile, found: Found): Credential {
	const {json, path} = file;
	// gcloud's file is renewed with gcloud; one whose client is not gcloud's came from a sign-in with that client
	// (`tokscope login --save` writes such files), and is renewed by signing in with it again.
	const again = command('tokscope', 'login', '--client-secret', 'CLIENT_FILE', '--save', path, '--force');
	const signInAgain = isGcloudClient(json.client_id) ? undefined : again;
	const context = (want: TokenType): FailureContext => ({want, via: 'oauth', credential: 'user', signInAgain});
	const clientId = String(json.client_id);
	const warnings = foreignUrlWarnings([['token_uri', json.token_uri as string | undefined]], path);
	// The file names no account; Google's refresh answer carries an ID token whose email says who logged in.
	let learned: string | undefined;
	const learnFrom = async (idToken: string | null | undefined) => {
		const email = idToken ? await jwtClaim(idToken, 'email') : undefined;
		if (typeof email === 'string') learned = email;
	};
	return {
		describe: async () => {
			return describeFound(found, {principal: learned, idTokens: userIdTokenLimit, warnings});
		},
		accessToken: async request => {
			const scopes = scopesOf(request);
			const client = userClient(json);
			const token = await accessFromClient(client, context('access'), scopes, found.timeoutMs);
			await learnFrom(client.lastIdToken());
			return token;
		},
		idToken: async request => {
			const audience = audienceOf(request, clientId);
			// The one audience Google allows: the OAuth client itself, whose ID token comes with each refresh.
			if (audience !== clientId) throw new TokscopeError('cannot-mint', userIdTokenLimit);
			const client = userClient(json);
			return idFromWork(
				async () => {
					const {idToken} = await client.accessToken();
					if (!idToken)
						throw new TokscopeError(
							'bad-answer',
							'The token endpoint returned no ID token for this user credential (it needs the openid scope).',
						);
					await learnFrom(idToken);
					return idToken;
				},
				context('id'),
				audience,
				found.timeoutMs,
			);
		},
	};
}
