import type {IncomingMessage, ServerResponse} from 'node:http';
import {createHash, createPublicKey} from 'node:crypto';
import {decodeJwt, jwtVerify} from 'jose';
import {googleTokenUrl, numericId, subjectOf} from './authority.js';
import {bearerToken, parseParams, readBody, sendJson, sendOAuthError} from './http.js';
import type {EmulatorState} from './state.js';

const jwtBearer = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const tokenExchange = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * Google's OAuth token endpoint: jwt-bearer (service-account keys), refresh_token (user credentials) and
 * authorization_code with PKCE (the sign-in flow).
 */
export async function handleToken(state: EmulatorState, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const params = parseParams(await readBody(request), request.headers['content-type']);
	if (params.grant_type === jwtBearer) return jwtBearerGrant(state, params.assertion ?? '', response);
	if (params.grant_type === 'refresh_token') return refreshGrant(state, params, response);
	if (params.grant_type === 'authorization_code') return authorizationCodeGrant(state, params, response);
	sendOAuthError(response, 400, 'unsupported_grant_type', `Invalid grant_type: ${params.grant_type ?? ''}`);
}

async function jwtBearerGrant(state: EmulatorState, assertion: string, response: ServerResponse): Promise<void> {
	let claims: Record<string, unknown>;
	try {
		// The assertion names Google's token URL as its audience even when the request was sent here. Its times are
		// judged by the emulator's clock, so a skewed clock fails here as a skewed client clock fails at Google.
		({payload: claims} = await jwtVerify(assertion, state.authority.serviceAccountKey.publicKey, {
			audience: [googleTokenUrl, state.endpoints.token],
			currentDate: state.clock.date(),
			maxTokenAge: '1h',
			clockTolerance: 5,
		}));
	} catch (error) {
		const code = (error as {code?: string; claim?: string}).code;
		const claim = (error as {claim?: string}).claim;
		const timing =
			code === 'ERR_JWT_EXPIRED' || (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && ['iat', 'nbf', 'exp'].includes(claim ?? ''));
		// Google's words, as it says them now (test/fixtures/real-world/token-endpoint/jwt-times-in-milliseconds.json;
		// googleapis/google-api-php-client#1429 quotes an older ending) and token-endpoint/invalid-jwt-signature.json.
		const description = timing
			? 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp ' +
				'values and use a clock with skew to account for clock differences between systems.'
			: 'Invalid JWT Signature.';
		sendOAuthError(response, 400, 'invalid_grant', description);
		return;
	}
	const email = typeof claims.iss === 'string' ? claims.iss : '';
	if (email !== state.serviceAccountEmail && !state.signedFor.has(email)) {
		// token-endpoint/service-account-deleted-or-disabled.json
		sendOAuthError(response, 400, 'invalid_grant', 'Invalid grant: account not found');
		return;
	}
	// Acting as a Workspace user (domain-wide delegation): only as the allow-list says
	// (token-endpoint/dwd-client-not-authorised.json; https://support.google.com/a/answer/162106).
	if (typeof claims.sub === 'string' && claims.sub !== email) return delegatedGrant(state, email, claims, response);
	if (typeof claims.target_audience === 'string') {
		const idToken = await state.authority.mintIdToken({audience: claims.target_audience, email, includeEmail: true});
		sendJson(response, 200, {id_token: idToken});
		return;
	}
	const scopes = (typeof claims.scope === 'string' ? claims.scope : '').split(' ').filter(Boolean);
	if (scopes.length === 0) {
		sendOAuthError(response, 400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
		return;
	}
	const {token} = state.authority.issueAccessToken(email, scopes);
	sendJson(response, 200, {access_token: token, expires_in: state.authority.expiresIn, token_type: 'Bearer'});
}

/**
 * Domain-wide delegation: an assertion whose `sub` names a user is honoured only for the client ID and scopes a Workspace
 * admin authorised (https://support.google.com/a/answer/162106); else Google's words (token-endpoint/dwd-client-not-authorised).
 */
function delegatedGrant(state: EmulatorState, email: string, claims: Record<string, unknown>, response: ServerResponse): void {
	const scopes = (typeof claims.scope === 'string' ? claims.scope : '').split(' ').filter(Boolean);
	const allowed = state.delegation.get(numericId(email));
	if (!allowed || scopes.length === 0 || !scopes.every(scope => allowed.includes(scope))) {
		sendOAuthError(
			response,
			401,
			'unauthorized_client',
			'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
		);
		return;
	}
	const {token} = state.authority.issueAccessToken(String(claims.sub), scopes, numericId(email));
	sendJson(response, 200, {access_token: token, expires_in: state.authority.expiresIn, token_type: 'Bearer'});
}

/** Google's answers for a client it does not know and for a wrong secret. */
function clientRejected(state: EmulatorState, params: Record<string, string>, response: ServerResponse): boolean {
	const {oauthClient, gcloudClient} = state.authority;
	const client = [oauthClient, gcloudClient].find(known => known.id === params.client_id);
	if (!client) sendOAuthError(response, 401, 'invalid_client', 'The OAuth client was not found.');
	else if (params.client_secret !== client.secret) sendOAuthError(response, 401, 'invalid_client', 'Unauthorized');
	else return false;
	return true;
}

async function refreshGrant(state: EmulatorState, params: Record<string, string>, response: ServerResponse): Promise<void> {
	const {authority} = state;
	if (clientRejected(state, params, response)) return;
	const grant = authority.lookupRefreshToken(params.refresh_token ?? '');
	if (!grant) {
		sendOAuthError(response, 400, 'invalid_grant', 'Token has been expired or revoked.');
		return;
	}
	const {token} = authority.issueAccessToken(grant.email, grant.scopes, grant.clientId);
	const idToken = grant.scopes.includes('openid') ? await userIdToken(state, grant.email, grant.clientId, grant.scopes) : undefined;
	sendJson(response, 200, {
		access_token: token,
		expires_in: authority.expiresIn,
		scope: grant.scopes.join(' '),
		token_type: 'Bearer',
		...(idToken ? {id_token: idToken} : {}),
	});
}

/** A user's ID token is always for the OAuth client it signed in with: aud = azp = client_id. */
function userIdToken(state: EmulatorState, email: string, clientId: string, scopes: string[]): Promise<string> {
	const includeEmail = scopes.includes('https://www.googleapis.com/auth/userinfo.email');
	return state.authority.mintIdToken({audience: clientId, email, includeEmail, extra: {azp: clientId}});
}

/**
 * The code exchange. Error words are Google's where public code quotes them ("Invalid code verifier.", "Missing code
 * verifier.", "Malformed auth code.", a reused code's "Bad Request"); the rest is assumed.
 */
async function authorizationCodeGrant(state: EmulatorState, params: Record<string, string>, response: ServerResponse): Promise<void> {
	if (clientRejected(state, params, response)) return;
	const redemption = state.authorizations.redeem(params.code ?? '', state.clock.now());
	if ('error' in redemption) {
		sendOAuthError(response, 400, 'invalid_grant', redemption.error === 'unknown' ? 'Malformed auth code.' : 'Bad Request');
		return;
	}
	const {grant} = redemption;
	if (params.redirect_uri !== grant.redirectUri) {
		sendOAuthError(response, 400, 'redirect_uri_mismatch', 'Bad Request');
		return;
	}
	if (!params.code_verifier) {
		sendOAuthError(response, 400, 'invalid_grant', 'Missing code verifier.');
		return;
	}
	if (createHash('sha256').update(params.code_verifier).digest('base64url') !== grant.codeChallenge) {
		sendOAuthError(response, 400, 'invalid_grant', 'Invalid code verifier.');
		return;
	}
	const {authority} = state;
	const {token} = authority.issueAccessToken(grant.email, grant.scopes, grant.clientId);
	const refreshToken = authority.issueRefreshToken({email: grant.email, clientId: grant.clientId, scopes: grant.scopes});
	const idToken = grant.scopes.includes('openid') ? await userIdToken(state, grant.email, grant.clientId, grant.scopes) : undefined;
	sendJson(response, 200, {
		access_token: token,
		expires_in: authority.expiresIn,
		refresh_token: refreshToken,
		scope: grant.scopes.join(' '),
		token_type: 'Bearer',
		...(idToken ? {id_token: idToken} : {}),
	});
}

/** Security Token Service (workload identity federation): exchanges any external subject token for a federated access token. */
/**
 * With a provider set (Emulator.setWorkloadProvider), its rules are applied as STS applies them (federation.ts);
 * without one, any subject token is exchanged.
 */
export async function handleSts(state: EmulatorState, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const params = parseParams(await readBody(request), request.headers['content-type']);
	if (params.grant_type !== tokenExchange) {
		sendOAuthError(response, 400, 'invalid_request', `Invalid value for "grant_type": ${params.grant_type ?? ''}`);
		return;
	}
	if (!params.subject_token) {
		sendOAuthError(response, 400, 'invalid_request', 'Missing required parameter: subject_token');
		return;
	}
	// A provider set by a test judges the audience itself; otherwise its form is checked here, in STS's words.
	const provider = state.federation?.provider ? undefined : stsProviderPattern.exec(params.audience ?? '');
	if (!state.federation?.provider && !provider) {
		// A pool, a template left unexpanded, anything but a provider's full name (sts/audience-is-a-pool.json,
		// sts/provider-expression-not-interpolated.json).
		const sentence =
			'Invalid value for "audience". This value should be the full resource name of the Identity Provider. See ' +
			'https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token for the list of possible formats.';
		sendOAuthError(response, 400, 'invalid_request', sentence);
		return;
	}
	if (provider?.[1] !== undefined && !/^\d+$/.test(provider[1])) {
		// The project named by its ID, not its number: no such provider (sts/provider-named-by-project-id.json).
		const sentence =
			'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or ' +
			"provider is disabled or deleted or because it doesn't exist.";
		sendOAuthError(response, 400, 'invalid_target', sentence);
		return;
	}
	let principal = `principal:${params.audience}/subject/${externalSubject(params.subject_token)}`;
	if (state.federation?.provider) {
		const judged = state.federation.exchange(params.audience ?? '', params.subject_token, state.clock.date());
		if ('error' in judged) return sendOAuthError(response, judged.status, judged.error, judged.description);
		principal = judged.principal;
	}
	const scopes = (params.scope ?? 'https://www.googleapis.com/auth/cloud-platform').split(' ').filter(Boolean);
	const {token} = state.authority.issueAccessToken(principal, scopes, 'sts');
	sendJson(response, 200, {
		access_token: token,
		issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
		token_type: 'Bearer',
		expires_in: state.authority.expiresIn,
	});
}

/**
 * A workload identity pool provider's full name, or a workforce pool provider's
 * (https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token): the project (number) is the first group.
 */
const stsProviderPattern = new RegExp(
	'^//iam\\.googleapis\\.com/(?:projects/([^/]+)/locations/global/workloadIdentityPools|locations/global/workforcePools)' +
		'/[^/]+/providers/[^/]+$',
);

function externalSubject(subjectToken: string): string {
	try {
		return String(decodeJwt(subjectToken).sub ?? 'external-workload');
	} catch {
		return 'external-workload';
	}
}

/** tokeninfo: `?access_token=` / `?id_token=`, a form POST, or a Bearer header; values are strings, as Google's are. */
export async function handleTokenInfo(state: EmulatorState, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
	const params = {
		...Object.fromEntries(url.searchParams),
		...(request.method === 'POST' ? parseParams(await readBody(request), request.headers['content-type']) : {}),
	};
	const accessToken = params.access_token ?? bearerToken(request);
	if (params.id_token) return idTokenInfo(state, params.id_token, response);
	const issued = accessToken ? state.authority.lookupAccessToken(accessToken) : undefined;
	if (!issued) {
		sendOAuthError(response, 400, 'invalid_token', 'Invalid Value');
		return;
	}
	const expiresIn = Math.max(0, Math.floor((issued.expiresAt.getTime() - state.clock.now()) / 1000));
	sendJson(response, 200, {
		azp: issued.clientId,
		aud: issued.clientId,
		...(issued.email.startsWith('principal:')
			? {}
			: {sub: issued.email.endsWith('.gserviceaccount.com') ? issued.clientId : issued.email, email: issued.email, email_verified: 'true'}),
		scope: issued.scopes.join(' '),
		exp: String(Math.floor(issued.expiresAt.getTime() / 1000)),
		expires_in: String(expiresIn),
		access_type: 'online',
	});
}

async function idTokenInfo(state: EmulatorState, idToken: string, response: ServerResponse): Promise<void> {
	try {
		const {payload, protectedHeader} = await jwtVerify(idToken, createPublicKey(state.authority.signingKey), {
			issuer: state.endpoints.issuer,
			currentDate: state.clock.date(),
		});
		const strings = Object.fromEntries(
			Object.entries(payload).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
		);
		sendJson(response, 200, {...strings, alg: protectedHeader.alg, kid: protectedHeader.kid, typ: protectedHeader.typ ?? 'JWT'});
	} catch {
		sendOAuthError(response, 400, 'invalid_token', 'Invalid Value');
	}
}

/** OIDC discovery, listing only what this emulator answers (each endpoint is routed in index.ts). */
export function handleDiscovery(state: EmulatorState, response: ServerResponse): void {
	sendJson(response, 200, {
		issuer: state.endpoints.issuer,
		authorization_endpoint: state.endpoints.authorization,
		token_endpoint: state.endpoints.token,
		userinfo_endpoint: state.endpoints.userinfo,
		jwks_uri: state.endpoints.jwks,
		response_types_supported: ['code'],
		subject_types_supported: ['public'],
		id_token_signing_alg_values_supported: ['RS256'],
		scopes_supported: ['openid', 'email', 'profile'],
		token_endpoint_auth_methods_supported: ['client_secret_post'],
		claims_supported: ['aud', 'email', 'email_verified', 'exp', 'iat', 'iss', 'sub', 'azp'],
		code_challenge_methods_supported: ['S256'],
		grant_types_supported: ['authorization_code', 'refresh_token', jwtBearer],
	});
}

export async function handleJwks(state: EmulatorState, response: ServerResponse): Promise<void> {
	sendJson(response, 200, await state.authority.jwks(), {'Cache-Control': 'public, max-age=300'});
}

/** `/oauth2/v1/certs`: `{kid: PEM certificate}`, the form Python's google-auth fetches by default. */
export function handleX509Certs(state: EmulatorState, response: ServerResponse): void {
	sendJson(response, 200, state.authority.x509Certificates(), {'Cache-Control': 'public, max-age=300'});
}

/**
 * OIDC userinfo for a user's access token
 * (https://developers.google.com/identity/openid-connect/openid-connect#obtaininguserprofileinformation).
 */
export function handleUserInfo(state: EmulatorState, request: IncomingMessage, response: ServerResponse): void {
	const issued = state.authority.lookupAccessToken(bearerToken(request) ?? '');
	if (!issued || issued.email.startsWith('principal:')) {
		sendJson(
			response,
			401,
			{error: 'invalid_request', error_description: 'Invalid Credentials'},
			{'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"'},
		);
		return;
	}
	sendJson(response, 200, {sub: subjectOf(issued.email), email: issued.email, email_verified: true});
}
