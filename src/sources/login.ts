import {TokscopeError} from '../core/errors.js';
import {command} from '../core/shell-quote.js';
import type {RawToken} from '../core/types.js';
import {userClient} from './library/clients.js';
import {accessFromClient, idFromWork} from './library/mint.js';
import {audienceOf, scopesOf} from './credential.js';
import type {FailureContext} from './errors.js';
import {jwtExpiry} from './token-claims.js';
import type {SourceBody, SourceOptions} from './types.js';

// The `login` source: a user who signed in through their own OAuth client (login-flow.ts). The exchange's tokens are
// shown first; every later ask refreshes with the refresh token, which stays in memory (signed-in.ts).

/** Why a user's ID token is always for the client they signed in with, and what to use for a service instead. */
export function userIdTokenAudience(clientId: string): string {
	return (
		`A signed-in user's ID token is minted only for the OAuth client they signed in with (aud = ${clientId}), never for ` +
		'another audience such as a Cloud Run URL: Google vouches for who you are to the app that asked. To call a service ' +
		'as a principal, impersonate a service account (--impersonate-service-account SA, needs ' +
		'roles/iam.serviceAccountOpenIdTokenCreator) ' +
		'or use a service-account key; for Google APIs, use the access token.'
	);
}

const notSignedIn =
	'The login source signs in first: pick it in the live view (tokscope --source login --client-secret FILE), or run ' +
	'`tokscope login --client-secret FILE --save PATH` and use PATH through GOOGLE_APPLICATION_CREDENTIALS.';

export async function loginSource(options: SourceOptions): Promise<SourceBody> {
	const user = options.signedIn;
	if (!user) throw new TokscopeError('no-credential', notSignedIn);
	const {client} = user;
	// Its refresh token came from signing in with tokscope, so that is how a revoked one is renewed (not gcloud's command).
	const signInAgain = command('tokscope', '--source', 'login', '--client-secret', client.path);
	const context: FailureContext = {want: 'access', via: 'oauth', credential: 'user', signInAgain};
	const idNote = `aud is this OAuth client's ID. ${userIdTokenAudience(client.clientId)}`;
	return {
		describe: async () => ({
			id: 'login',
			principal: user.email,
			origin: `signed in through the OAuth client ${client.clientId} (${client.path})`,
			details: [
				`Scopes granted: ${user.scopes.join(' ')}.`,
				user.canRefresh
					? 'The refresh token is kept in memory only: nothing was written.'
					: 'The token endpoint gave no refresh token: sign in again when the access token expires.',
			],
			warnings: client.warnings,
			credentialType: 'authorized_user',
			idTokens: userIdTokenAudience(client.clientId),
		}),
		accessToken: async request => {
			const first = user.takeFirstAccessToken();
			if (first) return first;
			const scopes = user.scopes.length ? user.scopes : scopesOf(request);
			return accessFromClient(userClient(user.refreshCredential()), context, scopes, options.timeoutMs);
		},
		idToken: async request => {
			const audience = audienceOf(request);
			if (audience !== client.clientId) throw new TokscopeError('cannot-mint', userIdTokenAudience(client.clientId));
			const first = user.takeFirstIdToken();
			const raw: RawToken = first
				? {token: first, type: 'id', audience, expiresAt: await jwtExpiry(first), fetchedAt: new Date(), latencyMs: 0}
				: await idFromWork(
						async () => {
							const {idToken: token} = await userClient(user.refreshCredential()).accessToken();
							if (!token) {
								throw new TokscopeError(
									'bad-answer',
									'The token endpoint returned no ID token on refresh (the sign-in needs the openid scope).',
								);
							}
							return token;
						},
						{...context, want: 'id'},
						audience,
						options.timeoutMs,
					);
			return {...raw, notes: [idNote]};
		},
	};
}
