import {randomBytes} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {escapeHtml} from './services/context.js';
import {readBody} from './http.js';
import type {EmulatorState} from './state.js';

// Google's authorization endpoint for installed (desktop) apps: https://developers.google.com/identity/protocols/oauth2/native-app
// Loopback redirects on any port (RFC 8252 §7.3), PKCE (RFC 7636), a consent page, then a 302 back with `code` and
// `state` or `error=access_denied` (RFC 6749 §4.1.2). Stricter than Google in one way, on purpose: PKCE with S256 and
// `state` are required here (Google only recommends them), so a client that forgets either fails against the emulator.

/** Paths it answers on: Google's current one, and the one Cloud Console still writes into client files as auth_uri. */
export const authorizationPaths = ['/o/oauth2/v2/auth', '/o/oauth2/auth'];
/** Where the consent page's Allow and Deny forms post: fields `consent` (from the page) and `decision` (allow|deny). */
export const consentPath = '/o/oauth2/v2/auth/consent';

export interface AuthorizationRequest {
	clientId: string;
	redirectUri: string;
	scopes: string[];
	state: string;
	codeChallenge: string;
}

export interface AuthorizationGrant extends AuthorizationRequest {
	email: string;
	expiresAt: number;
}

export type Redemption = {grant: AuthorizationGrant} | {error: 'unknown' | 'used' | 'expired'};

/** Bounded, so a long demo cannot grow it without end. */
const maxPending = 1000;
/** Google's codes live about ten minutes (assumed). */
const codeLifetimeMs = 10 * 60 * 1000;

/** The consent requests waiting for Allow/Deny, and the codes handed out, each usable once. */
export class Authorizations {
	readonly #pending = new Map<string, AuthorizationRequest>();
	readonly #codes = new Map<string, AuthorizationGrant & {used: boolean}>();

	hold(request: AuthorizationRequest): string {
		const id = randomBytes(18).toString('base64url');
		if (this.#pending.size >= maxPending) this.#pending.delete(this.#pending.keys().next().value!);
		this.#pending.set(id, request);
		return id;
	}

	take(id: string): AuthorizationRequest | undefined {
		const request = this.#pending.get(id);
		this.#pending.delete(id);
		return request;
	}

	issueCode(request: AuthorizationRequest, email: string, now: number): string {
		const code = `4/0${randomBytes(36).toString('base64url')}`; // Google's codes start "4/0"
		if (this.#codes.size >= maxPending) this.#codes.delete(this.#codes.keys().next().value!);
		this.#codes.set(code, {...request, email, expiresAt: now + codeLifetimeMs, used: false});
		return code;
	}

	/** A code works once: the first redemption uses it up, whether or not the rest of the exchange succeeds. */
	redeem(code: string, now: number): Redemption {
		const issued = this.#codes.get(code);
		if (!issued) return {error: 'unknown'};
		if (issued.used) return {error: 'used'};
		issued.used = true;
		if (issued.expiresAt <= now) return {error: 'expired'};
		const {used, ...grant} = issued;
		return {grant};
	}
}

/** GET the authorization URL: validates it, then shows the consent page. */
export function handleAuthorize(state: EmulatorState, response: ServerResponse, url: URL): void {
	const params = url.searchParams;
	const clientId = params.get('client_id') ?? '';
	// Google shows its own error page, never a redirect, when the client or the redirect URI cannot be trusted.
	if (clientId !== state.authority.oauthClient.id) {
		return errorPage(response, 401, 'invalid_client', `The OAuth client was not found.`);
	}
	const redirectUri = params.get('redirect_uri') ?? '';
	if (!isLoopbackRedirect(redirectUri)) {
		const sentence = "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.";
		return errorPage(response, 400, 'redirect_uri_mismatch', `${sentence} redirect_uri: ${redirectUri}`);
	}
	// From here the redirect URI is trusted, so problems go back to the client (RFC 6749 §4.1.2.1).
	const back = (error: string, description: string) =>
		redirect(response, redirectUri, {error, error_description: description, ...(params.get('state') ? {state: params.get('state')!} : {})});
	if (params.get('response_type') !== 'code') return back('unsupported_response_type', 'Only response_type=code is supported.');
	const scopes = (params.get('scope') ?? '').split(/\s+/).filter(Boolean).map(expandScope);
	if (scopes.length === 0) return back('invalid_request', 'Missing required parameter: scope');
	const codeChallenge = params.get('code_challenge') ?? '';
	if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))
		return back('invalid_request', 'Missing or malformed code_challenge: a base64url SHA-256 of the code_verifier is required.');
	if (params.get('code_challenge_method') !== 'S256') return back('invalid_request', 'code_challenge_method must be S256.');
	const requestState = params.get('state') ?? '';
	if (!requestState) return back('invalid_request', 'Missing required parameter: state');
	const consent = state.authorizations.hold({clientId, redirectUri, scopes, state: requestState, codeChallenge});
	consentPage(response, state, consent, scopes);
}

/** POST from the consent page: Allow sends a code back, Deny sends `error=access_denied`. */
export async function handleConsent(state: EmulatorState, request: IncomingMessage, response: ServerResponse): Promise<void> {
	const form = new URLSearchParams(await readBody(request));
	const held = state.authorizations.take(form.get('consent') ?? '');
	if (!held)
		return errorPage(
			response,
			400,
			'invalid_request',
			'This sign-in request has expired or was already answered. Start the sign-in again.',
		);
	if (form.get('decision') !== 'allow') return redirect(response, held.redirectUri, {error: 'access_denied', state: held.state});
	const code = state.authorizations.issueCode(held, state.userEmail, state.clock.now());
	redirect(response, held.redirectUri, {state: held.state, code, scope: held.scopes.join(' '), authuser: '0', prompt: 'consent'});
}

/** http on 127.0.0.1, [::1] or localhost, any port: what Google allows desktop clients (RFC 8252 §7.3). */
export function isLoopbackRedirect(value: string): boolean {
	try {
		const url = new URL(value);
		return (
			url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname) && !url.hash && !url.username && !url.password
		);
	} catch {
		return false;
	}
}

/** Google widens the short OpenID scopes in what it grants. */
function expandScope(scope: string): string {
	if (scope === 'email') return 'https://www.googleapis.com/auth/userinfo.email';
	if (scope === 'profile') return 'https://www.googleapis.com/auth/userinfo.profile';
	return scope;
}

function redirect(response: ServerResponse, redirectUri: string, params: Record<string, string>): void {
	const target = new URL(redirectUri);
	for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
	response.writeHead(302, {Location: target.toString(), 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '0'});
	response.end();
}

function errorPage(response: ServerResponse, status: number, error: string, sentence: string): void {
	const body =
		`<!doctype html>\n<html><head><title>Error ${status}: ` +
		`${error}</title></head>\n<body><h1>Authorization Error</h1>\n<p>Error ${status}: ` +
		`${escapeHtml(error)}</p>\n<p>${escapeHtml(sentence)}</p></body></html>\n`;
	response.writeHead(status, {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body)});
	response.end(body);
}

function consentPage(response: ServerResponse, state: EmulatorState, consent: string, scopes: string[]): void {
	const form = (decision: string, label: string) =>
		`<form method="post" action="${consentPath}"><input type="hidden" name="consent" value="${consent}">` +
		`<button name="decision" value="${decision}">${label}</button></form>`;
	const body = [
		'<!doctype html>',
		'<html><head><title>Sign in - tokscope emulator</title></head><body>',
		'<h1>tokscope emulator wants to access your Google Account</h1>',
		`<p>${escapeHtml(state.userEmail)}</p>`,
		'<p>This will allow it to:</p>',
		`<ul>${scopes.map(scope => `<li>${escapeHtml(scope)}</li>`).join('')}</ul>`,
		form('allow', 'Allow'),
		form('deny', 'Deny'),
		'</body></html>',
		'',
	].join('\n');
	response.writeHead(200, {
		'Content-Type': 'text/html; charset=utf-8',
		'Content-Length': Buffer.byteLength(body),
		'Cache-Control': 'no-store',
	});
	response.end(body);
}
