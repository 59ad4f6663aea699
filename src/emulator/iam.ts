import {createPrivateKey} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {SignJWT} from 'jose';
import {bearerToken, readBody, sendApiError, sendJson} from './http.js';
import {iamPermissionDenied} from './faults.js';
import {quotaProjectRefusal} from './quota-project.js';
import type {EmulatorState} from './state.js';

/** IAM Credentials API: `v1/projects/-/serviceAccounts/EMAIL:generateAccessToken` and `:generateIdToken`. */
export async function handleIam(state: EmulatorState, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
	if (servesFederation(state, request, response, decodeURIComponent(url.pathname))) return;
	const match = /^\/v1\/projects\/[^/]+\/serviceAccounts\/([^/:]+):(generateAccessToken|generateIdToken|signJwt)$/.exec(
		decodeURIComponent(url.pathname),
	);
	if (!match || request.method !== 'POST') {
		sendApiError(response, 404, `Method not found: ${url.pathname}`, 'NOT_FOUND');
		return;
	}
	const [, target = '', method] = match;
	const caller = state.authority.lookupAccessToken(bearerToken(request) ?? '');
	if (!caller) {
		sendApiError(
			response,
			401,
			'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
			'UNAUTHENTICATED',
		);
		return;
	}
	const billed = quotaProjectRefusal(request, state, 'iamcredentials.googleapis.com');
	if (billed) {
		sendJson(response, 403, billed);
		return;
	}
	let body: {
		scope?: string[];
		delegates?: string[];
		lifetime?: string;
		audience?: string;
		includeEmail?: boolean;
		useEmailAzp?: boolean;
		payload?: string;
	};
	try {
		body = JSON.parse((await readBody(request)) || '{}') as typeof body;
	} catch {
		sendApiError(response, 400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT');
		return;
	}
	const unknown = [target, ...(body.delegates ?? []).map(delegate => delegate.replace(/^projects\/-\/serviceAccounts\//, ''))].find(
		email => !/^[^@\s]+@[^@\s]+\.gserviceaccount\.com$/.test(email),
	);
	if (unknown !== undefined) {
		sendApiError(response, 404, `Not found; Gaia id not found for email ${unknown}`, 'NOT_FOUND');
		return;
	}

	// A federated principal acts as the account only where its policy lets it (iam-credentials/get-access-token-denied).
	if (caller.email.startsWith('principal:') && state.federation && !state.federation.mayActAs(caller.email, target)) {
		sendJson(response, 403, iamPermissionDenied(url.pathname));
		return;
	}

	// signJwt signs the payload as the account, here with the emulator's service-account key, so its token endpoint takes
	// the assertion as the account's (https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signJwt).
	if (method === 'signJwt') {
		let claims: Record<string, unknown>;
		try {
			claims = JSON.parse(body.payload ?? '') as Record<string, unknown>;
		} catch {
			sendApiError(response, 400, 'Invalid payload: it must be a JSON object.', 'INVALID_ARGUMENT');
			return;
		}
		const key = state.authority.serviceAccountKey;
		const signedJwt = await new SignJWT(claims)
			.setProtectedHeader({alg: 'RS256', typ: 'JWT', kid: key.keyId})
			.sign(createPrivateKey(key.privateKeyPem));
		state.signedFor.add(target);
		sendJson(response, 200, {keyId: key.keyId, signedJwt});
		return;
	}

	if (method === 'generateAccessToken') {
		const scopes = body.scope ?? [];
		// No scope, or one that is no OAuth scope (a service's URL): Google's generic words
		// (iam-credentials/impersonation-without-scopes.json, iam-credentials/scope-is-a-cloud-run-url.json).
		if (scopes.length === 0 || !scopes.every(isOAuthScope)) {
			sendApiError(response, 400, 'Request contains an invalid argument.', 'INVALID_ARGUMENT');
			return;
		}
		const lifetime = parseLifetime(body.lifetime) ?? state.authority.tokenLifetimeSeconds;
		if (lifetime > state.maxAccessTokenLifetimeSeconds) {
			// Beyond an hour only where the organisation policy allows it; without it IAM refuses the request outright, in
			// the words of iam-credentials/lifetime-over-an-hour.json.
			const sentence = `The access token lifetime cannot exceed ${state.maxAccessTokenLifetimeSeconds} seconds.`;
			sendApiError(response, 400, sentence, 'INVALID_ARGUMENT');
			return;
		}
		const {token, expiresAt} = state.authority.issueAccessToken(target, scopes, undefined, lifetime);
		sendJson(response, 200, {accessToken: token, expireTime: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z')});
		return;
	}
	if (!body.audience) {
		sendApiError(response, 400, 'Audience required.', 'INVALID_ARGUMENT');
		return;
	}
	const token = await state.authority.mintIdToken({
		audience: body.audience,
		email: target,
		includeEmail: body.includeEmail === true,
		emailAzp: body.useEmailAzp === true,
	});
	sendJson(response, 200, {token});
}

/** Google's scopes are its own URLs (https://developers.google.com/identity/protocols/oauth2/scopes) or OpenID's words. */
function isOAuthScope(scope: string): boolean {
	return /^https:\/\/www\.googleapis\.com\/auth\/|^https:\/\/mail\.google\.com\/$|^(openid|email|profile)$/.test(scope);
}

function parseLifetime(lifetime: string | undefined): number | undefined {
	const match = /^(\d+)s$/.exec(lifetime ?? '');
	return match ? Number(match[1]) : undefined;
}

/**
 * The provider and the service accounts' policies the emulator plays, as the IAM API serves them
 * (providers.get, serviceAccounts.getIamPolicy): what `gcloud … describe --format=json` and `get-iam-policy` print.
 */
function servesFederation(state: EmulatorState, request: IncomingMessage, response: ServerResponse, path: string): boolean {
	if (!state.federation) return false;
	const {provider, providerJson, policyJson} = state.federation;
	if (request.method === 'GET' && provider && path === `/v1/${provider.name}`) {
		sendJson(response, 200, providerJson);
		return true;
	}
	const policy = /^\/v1\/projects\/[^/]+\/serviceAccounts\/([^/:]+):getIamPolicy$/.exec(path);
	if (request.method === 'POST' && policy) {
		sendJson(response, 200, {version: 1, etag: 'BwYAAAAAAAA=', ...policyJson.get(policy[1]!)});
		return true;
	}
	return false;
}
