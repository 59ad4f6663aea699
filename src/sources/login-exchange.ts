import {TokscopeError} from '../core/errors.js';
import {rememberSecret} from '../core/secrets.js';
import {expectExpiry, expectTokenShape, expiryFromLifetime} from '../core/token-shape.js';
import type {RawToken} from '../core/types.js';
import {withDeadline} from '../io/deadline.js';
import {explainEndpointFailure, fitForSentence, type EndpointFailure} from './errors.js';
import type {ExchangedTokens} from './library/clients.js';
import {libraryFailure} from './library/failure.js';
import type {OAuthClientFile} from './login-client.js';
import {SignedIn, type SignInRecord} from './signed-in.js';

/** Every failed sign-in ends with it: nothing was saved, so nothing needs undoing. */
export const nothingWritten = 'nothing was written';

/** The code exchange at the client file's token_uri, with the PKCE verifier; its failures are one sentence each. */
export async function exchangeCode(
	client: OAuthClientFile,
	request: {code: string; verifier: string; redirectUri: string; scopes: string[]},
	timeoutMs: number,
	steps: SignInRecord[] = [],
): Promise<SignedIn> {
	const [{exchangeAuthorizationCode}, {jwtClaim}] = await Promise.all([import('./library/clients.js'), import('./token-claims.js')]);
	const {clientId, clientSecret, tokenUri} = client;
	const started = performance.now();
	let tokens: ExchangedTokens;
	const record = {
		step: 'exchange' as const,
		at: new Date(),
		tokenUri,
		redirectUri: request.redirectUri,
		clientId,
		returned: [] as string[],
	};
	try {
		const {code, verifier, redirectUri} = request;
		const exchange = exchangeAuthorizationCode({clientId, clientSecret, tokenUri, redirectUri, code, verifier});
		const answer = await withDeadline(exchange, timeoutMs, 'The OAuth token endpoint');
		tokens = answer.tokens;
		steps.push({...record, status: answer.status, latencyMs: Math.round(performance.now() - started), ...answered(tokens)});
	} catch (error) {
		// A deadline of ours is already a sentence; anything else the library threw is read into an EndpointFailure.
		const said = error instanceof TokscopeError ? error : libraryFailure(error);
		const failure = exchangeFailure(said);
		const status = 'kind' in said && said.kind === 'answer' ? said.status : undefined;
		steps.push({...record, status, latencyMs: Math.round(performance.now() - started), error: failure.message});
		throw failure;
	}
	const fetchedAt = new Date();
	if (!tokens.access_token) {
		throw new TokscopeError('bad-answer', `The token endpoint's answer to the code exchange held no access token; ${nothingWritten}.`);
	}
	// The checks every other road to a token has: a token is printed, saved and put in commands only in its own shape.
	const {token, expiresAt, idToken} = checkedAnswer(tokens, fetchedAt);
	const granted = typeof tokens.scope === 'string' ? tokens.scope.split(' ').filter(Boolean) : request.scopes;
	const email = idToken ? await jwtClaim(idToken, 'email') : undefined;
	const accessToken: RawToken = {
		token,
		type: 'access',
		scopes: granted,
		expiresAt,
		fetchedAt,
		latencyMs: Math.round(performance.now() - started),
	};
	const refreshToken = tokens.refresh_token ?? undefined;
	rememberSecret(refreshToken);
	return new SignedIn(client, {accessToken, refreshToken, idToken}, granted, typeof email === 'string' ? email : undefined, steps);
}

/** The exchange's tokens and lifetime in their shapes (token-shape.ts), or one sentence that ends the sign-in. */
function checkedAnswer(tokens: ExchangedTokens, fetchedAt: Date): {token: string; expiresAt?: Date; idToken?: string} {
	const server = "The token endpoint's answer to the code exchange";
	try {
		const token = expectTokenShape(tokens.access_token ?? '', 'access', server);
		const idToken = tokens.id_token ? expectTokenShape(tokens.id_token, 'id', server) : undefined;
		// The lifetime as the server said it: the library's expiry_date turns a word into NaN and a negative into the past.
		const expiresIn = tokens.expires_in;
		const expiresAt =
			expiresIn === undefined ? expectExpiry(tokens.expiry_date, fetchedAt, server) : expiryFromLifetime(expiresIn, fetchedAt, server);
		return {token, expiresAt, idToken};
	} catch (error) {
		if (!(error instanceof TokscopeError)) throw error;
		throw new TokscopeError(error.code, `${error.message.replace(/[.;] [Ii]t was not used\.$|\.$/, '')}; ${nothingWritten}.`);
	}
}

/** What the code exchange answered, by field name: the tokens' values stay out of the record. */
type ExchangeAnswer = Pick<Extract<SignInRecord, {step: 'exchange'}>, 'returned' | 'expiresInSeconds' | 'scope' | 'tokenType'>;

function answered(tokens: ExchangedTokens): ExchangeAnswer {
	// gaxios turns expires_in into expiry_date: the answer itself said expires_in.
	const returned = Object.keys(tokens)
		.filter(name => tokens[name as keyof ExchangedTokens] != null)
		.map(name => (name === 'expiry_date' ? 'expires_in' : name));
	const expiresInSeconds = tokens.expiry_date ? Math.round((tokens.expiry_date - Date.now()) / 1000) : undefined;
	const scope = typeof tokens.scope === 'string' ? fitForSentence(tokens.scope) : undefined;
	const tokenType = typeof tokens.token_type === 'string' ? fitForSentence(tokens.token_type) : undefined;
	return {returned, expiresInSeconds, scope, tokenType};
}

function exchangeFailure(failure: EndpointFailure | TokscopeError): TokscopeError {
	if (failure instanceof TokscopeError) {
		return new TokscopeError(failure.code, `${failure.message.replace(/\.$/, '')}; ${nothingWritten}.`, {hint: failure.hint});
	}
	const oauthError = failure.kind === 'answer' ? failure.oauthError : undefined;
	if (oauthError === 'invalid_grant') {
		const description = failure.kind === 'answer' ? failure.description : undefined;
		const said = description ? `: ${fitForSentence(description)}` : '';
		return new TokscopeError(
			'credential-rejected',
			`The token endpoint refused the authorization code (invalid_grant${said}): it was not issued to this sign-in ` +
				`(the PKCE check failed), was already used, or expired; ${nothingWritten}.`,
			{hint: 'Start the sign-in again.'},
		);
	}
	if (oauthError === 'invalid_client') {
		return new TokscopeError(
			'credential-rejected',
			`The token endpoint does not know this OAuth client or its secret (invalid_client); ${nothingWritten}.`,
			{
				hint: 'Download the client file again from APIs & Services → Credentials.',
			},
		);
	}
	if (oauthError === 'redirect_uri_mismatch') {
		const sentence = 'The token endpoint says the redirect address does not match the one the code was issued for';
		return new TokscopeError('sign-in-failed', `${sentence}; ${nothingWritten}.`);
	}
	const explained = explainEndpointFailure(failure, {want: 'access', via: 'oauth', credential: 'user'});
	return new TokscopeError(explained.code, `${explained.message.replace(/\.$/, '')}; ${nothingWritten}.`, {hint: explained.hint});
}
