import type {IncomingMessage, ServerResponse} from 'node:http';
import {createPublicKey} from 'node:crypto';
import {decodeJwt, jwtVerify} from 'jose';
import {googleTokenUrl} from './authority.js';
import {bearerToken, parseParams, readBody, sendApiError, sendJson, sendOAuthError} from './http.js';
import type {EmulatorState} from './state.js';

const jwtBearer = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const tokenExchange = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** Google's OAuth token endpoint: jwt-bearer (service-account keys) and refresh_token (user credentials). */
export async function handleToken(state: EmulatorState, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const params = parseParams(await readBody(request), request.headers['content-type']);
	if (params.grant_type === jwtBearer) return jwtBearerGrant(state, params.assertion ?? '', response);
	if (params.grant_type === 'refresh_token') return refreshGrant(state, params, response);
	sendOAuthError(response, 400, 'unsupported_grant_type', `Invalid grant_type: ${params.grant_type ?? ''}`);
}

async function jwtBearerGrant(state: EmulatorState, assertion: string, response: ServerResponse): Promise<void> {
	let claims: Record<string, unknown>;
	try {
		// The assertion names Google's token URL as its audience even when the request was sent here.
		({payload: claims} = await jwtVerify(assertion, state.authority.serviceAccountKey.publicKey, {audience: [googleTokenUrl, `${state.url}/token`]}));
	} catch (error) {
		const expired = (error as {code?: string}).code === 'ERR_JWT_EXPIRED';
		sendOAuthError(response, 400, 'invalid_grant', expired ? 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.' : 'Invalid JWT Signature.');
		return;
	}
	const email = String(claims.iss ?? '');
	if (email !== state.serviceAccountEmail) {
		sendOAuthError(response, 400, 'invalid_grant', 'Invalid grant: account not found');
		return;
	}
	if (typeof claims.target_audience === 'string') {
		const idToken = await state.authority.mintIdToken({audience: claims.target_audience, email, includeEmail: true});
		sendJson(response, 200, {id_token: idToken});
		return;
	}
	const scopes = String(claims.scope ?? '').split(' ').filter(Boolean);
	if (scopes.length === 0) {
		sendOAuthError(response, 400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
		return;
	}
	const {token} = state.authority.issueAccessToken(email, scopes);
	sendJson(response, 200, {access_token: token, expires_in: state.authority.expiresIn, token_type: 'Bearer'});
}

async function refreshGrant(state: EmulatorState, params: Record<string, string>, response: ServerResponse): Promise<void> {
	const {authority} = state;
	if (params.client_id !== authority.oauthClient.id || params.client_secret !== authority.oauthClient.secret) {
		sendOAuthError(response, 401, 'invalid_client', 'The OAuth client was not found.');
		return;
	}
	if (params.refresh_token !== authority.refreshToken) {
		sendOAuthError(response, 400, 'invalid_grant', 'Token has been expired or revoked.');
		return;
	}
	const scopes = ['openid', 'https://www.googleapis.com/auth/userinfo.email', 'https://www.googleapis.com/auth/cloud-platform'];
	const {token} = authority.issueAccessToken(state.userEmail, scopes, authority.oauthClient.id);
	// A user credential's ID token is always for its own OAuth client: aud = client_id.
	const idToken = await authority.mintIdToken({audience: authority.oauthClient.id, email: state.userEmail, includeEmail: true});
	sendJson(response, 200, {access_token: token, expires_in: authority.expiresIn, scope: scopes.join(' '), token_type: 'Bearer', id_token: idToken});
}

/** Security Token Service (workload identity federation): exchanges any external subject token for a federated access token. */
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
	if (!params.audience?.startsWith('//iam.googleapis.com/')) {
		sendOAuthError(response, 400, 'invalid_target', 'The target service indicated by the "audience" parameters is invalid.');
		return;
	}
	const principal = `principal:${params.audience}/subject/${subjectOf(params.subject_token)}`;
	const scopes = (params.scope ?? 'https://www.googleapis.com/auth/cloud-platform').split(' ').filter(Boolean);
	const {token} = state.authority.issueAccessToken(principal, scopes, 'sts');
	sendJson(response, 200, {
		access_token: token,
		issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
		token_type: 'Bearer',
		expires_in: state.authority.expiresIn,
	});
}

function subjectOf(subjectToken: string): string {
	try {
		return String(decodeJwt(subjectToken).sub ?? 'external-workload');
	} catch {
		return 'external-workload';
	}
}

/** tokeninfo: `?access_token=` / `?id_token=`, a form POST, or a Bearer header; values are strings, as Google's are. */
export async function handleTokenInfo(state: EmulatorState, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
	const params = {...Object.fromEntries(url.searchParams), ...(request.method === 'POST' ? parseParams(await readBody(request), request.headers['content-type']) : {})};
	const accessToken = params.access_token ?? bearerToken(request);
	if (params.id_token) return idTokenInfo(state, params.id_token, response);
	const issued = accessToken ? state.authority.lookupAccessToken(accessToken) : undefined;
	if (!issued) {
		sendOAuthError(response, 400, 'invalid_token', 'Invalid Value');
		return;
	}
	const expiresIn = Math.max(0, Math.floor((issued.expiresAt.getTime() - Date.now()) / 1000));
	sendJson(response, 200, {
		azp: issued.clientId,
		aud: issued.clientId,
		...(issued.email.startsWith('principal:') ? {} : {sub: issued.email.endsWith('.gserviceaccount.com') ? issued.clientId : issued.email, email: issued.email, email_verified: 'true'}),
		scope: issued.scopes.join(' '),
		exp: String(Math.floor(issued.expiresAt.getTime() / 1000)),
		expires_in: String(expiresIn),
		access_type: 'online',
	});
}

async function idTokenInfo(state: EmulatorState, idToken: string, response: ServerResponse): Promise<void> {
	try {
		const {payload, protectedHeader} = await jwtVerify(idToken, createPublicKey(state.authority.signingKey), {issuer: state.url});
		const strings = Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
		sendJson(response, 200, {...strings, alg: protectedHeader.alg, kid: protectedHeader.kid, typ: protectedHeader.typ ?? 'JWT'});
	} catch {
		sendOAuthError(response, 400, 'invalid_token', 'Invalid Value');
	}
}

export function handleDiscovery(state: EmulatorState, response: ServerResponse): void {
	sendJson(response, 200, {
		issuer: state.url,
		authorization_endpoint: `${state.url}/o/oauth2/v2/auth`,
		token_endpoint: `${state.url}/token`,
		userinfo_endpoint: `${state.url}/v1/userinfo`,
		jwks_uri: `${state.url}/oauth2/v3/certs`,
		response_types_supported: ['code', 'token', 'id_token'],
		subject_types_supported: ['public'],
		id_token_signing_alg_values_supported: ['RS256'],
		scopes_supported: ['openid', 'email', 'profile'],
		claims_supported: ['aud', 'email', 'email_verified', 'exp', 'iat', 'iss', 'sub', 'azp'],
	});
}

export async function handleJwks(state: EmulatorState, response: ServerResponse): Promise<void> {
	sendJson(response, 200, await state.authority.jwks(), {'Cache-Control': 'public, max-age=300'});
}

export function unknownApiPath(response: ServerResponse, path: string): void {
	sendApiError(response, 404, `Method not found: ${path}`, 'NOT_FOUND');
}
