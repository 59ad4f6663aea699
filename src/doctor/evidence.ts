import {unescapeHtml} from '../core/html-text.js';
import {parseJson} from '../core/json.js';
import {redactSecrets} from '../core/redact.js';
import {terminalSafe} from '../core/terminal-safe.js';

// What a service's answer says about a refused token, read the way each product words it. Pure: it gets the status,
// the headers and the start of the body, and returns facts, never guesses.

export interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	/** The body was longer than what was read. */
	truncated?: boolean;
}

/** Who answered, as the answer shows it. */
export type Responder = 'iap' | 'api-gateway' | 'google-api' | 'google-front-end' | 'cloud-functions';

export interface Evidence {
	status: number;
	/** Any status but 401, 403 and 407 means the token (or no token) was let through, unless it sends to sign-in. */
	accepted: boolean;
	/** A redirect to Google's sign-in page: IAP, or a front end sending browsers to log in. A refusal, not a welcome. */
	signInRedirect?: string;
	responder?: Responder;
	/** The `WWW-Authenticate` challenge, terminal-safe. */
	wwwAuthenticate?: string;
	/** Its `error=` parameter (RFC 6750 §3): invalid_token, insufficient_scope. */
	challengeError?: string;
	/** The one line of the body that matters, terminal-safe, at most 300 characters. */
	bodyLine?: string;
	/** IAP's refusal, classified; its sentence is in bodyLine. */
	iap?: 'empty-token' | 'unparsable' | 'bad-signature' | 'expired' | 'audience' | 'no-email' | 'no-access' | 'other';
	/** The audience IAP says it expects, when it names it. */
	expectedAudience?: string;
	/** ESPv2's message: "Jwt is expired", "Audiences in Jwt are not allowed", … */
	esp?: string;
	/** A Google API's error: status (UNAUTHENTICATED, PERMISSION_DENIED), its ErrorInfo reason, its message. */
	googleApi?: {status?: string; reason?: string; message?: string};
	/** The answer's `Date` header. */
	serverDate?: Date;
	truncated: boolean;
}

/** A header by name, whatever case the caller's map uses (node's are lower case; a test's or a UI's may not be). */
const header = (headers: Answer['headers'], name: string): string | undefined => {
	const key = Object.keys(headers).find(candidate => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return Array.isArray(value) ? value.join(', ') : value;
};

const safeLine = (text: string) => {
	const line = terminalSafe(redactSecrets(text)).replace(/\s+/g, ' ').trim();
	return line.length > 300 ? `${line.slice(0, 299)}…` : line;
};

/**
 * Google's sign-in: accounts.google.com, or an OAuth authorization path (/o/oauth2/…, where IAP sends a browser without
 * a session: https://cloud.google.com/iap/docs/faq), or IAP's own gatekeeper.
 */
export function isSignInPage(location: string): boolean {
	try {
		const url = new URL(location, 'https://service.invalid');
		return url.hostname === 'accounts.google.com' || /^\/o\/oauth2\/|^\/_gcp_gatekeeper\//.test(url.pathname);
	} catch {
		return false;
	}
}

/** Reads an answer. Every sentence matched here is cited where the emulator plays it (src/emulator/services). */
export function readEvidence(answer: Answer): Evidence {
	const {status, headers, body} = answer;
	const location = status >= 300 && status < 400 ? header(headers, 'location') : undefined;
	const signIn = location !== undefined && isSignInPage(location);
	const evidence: Evidence = {status, accepted: ![401, 403, 407].includes(status) && !signIn, truncated: answer.truncated ?? false};
	if (signIn) evidence.signInRedirect = safeLine(location);
	const challenge = header(headers, 'www-authenticate');
	if (challenge) {
		evidence.wwwAuthenticate = safeLine(challenge);
		evidence.challengeError = /\berror="?([a-z_]+)/i.exec(challenge)?.[1];
	}
	const date = header(headers, 'date');
	if (date && !Number.isNaN(Date.parse(date))) evidence.serverDate = new Date(Date.parse(date));
	const server = header(headers, 'server') ?? '';
	const json = /json/i.test(header(headers, 'content-type') ?? '') || /^\s*[{[]/.test(body) ? parseJson(body) : undefined;

	const iapWords = /^(Invalid IAP credentials|Invalid GCIP ID token|There was a problem with your request\. Error code)/i.test(body.trim());
	if (/^true$/i.test(header(headers, 'x-goog-iap-generated-response') ?? '') || iapWords) {
		// IAP marks every answer it writes itself (https://cloud.google.com/iap/docs/faq), one plain sentence as the body;
		// quoted without the header, its sentences still say who wrote them (test/fixtures/real-world/iap/).
		evidence.responder = 'iap';
		evidence.bodyLine = safeLine(body);
		readIap(body, evidence);
	} else if (isEspError(json)) {
		// ESPv2 (API Gateway, Cloud Endpoints): {"code":401,"message":"Jwt is expired"} (GoogleCloudPlatform/esp-v2
		// integration tests; https://cloud.google.com/endpoints/docs/openapi/troubleshoot-jwt).
		evidence.responder = 'api-gateway';
		evidence.esp = safeLine(json.message);
		evidence.bodyLine = evidence.esp;
	} else if (isGoogleApiError(json) || server === 'ESF') {
		// Google's APIs answer with the google.rpc error model (https://cloud.google.com/apis/design/errors).
		evidence.responder = 'google-api';
		const error = isGoogleApiError(json) ? json.error : undefined;
		const details = Array.isArray(error?.details) ? (error.details as Array<{reason?: unknown}>) : [];
		const reason = details.map(detail => detail?.reason).find((value): value is string => typeof value === 'string');
		evidence.googleApi = {
			status: typeof error?.status === 'string' ? error.status : undefined,
			reason,
			message: typeof error?.message === 'string' ? safeLine(error.message) : undefined,
		};
		evidence.bodyLine = evidence.googleApi.message;
	} else if (header(headers, 'function-execution-id')) {
		// The Cloud Functions runtime stamps each execution it ran.
		evidence.responder = 'cloud-functions';
	} else if (server === 'Google Frontend' && /<h1>Error: /.test(body)) {
		// Google Frontend's own error page: Cloud Run and Cloud Functions refuse here, before the container sees the request.
		evidence.responder = 'google-front-end';
	}
	evidence.bodyLine ??= bodyLineOf(body, json);
	return evidence;
}

function isEspError(json: unknown): json is {code: number; message: string} {
	const value = json as {code?: unknown; message?: unknown} | undefined;
	return typeof value?.code === 'number' && typeof value.message === 'string' && /^Jwt |^Audiences in Jwt/.test(value.message);
}

function isGoogleApiError(json: unknown): json is {error: {code?: number; status?: string; message?: string; details?: unknown}} {
	const error = (json as {error?: unknown} | undefined)?.error as {code?: unknown; status?: unknown} | undefined;
	return typeof error === 'object' && error !== null && typeof error.code === 'number' && typeof error.status === 'string';
}

/**
 * IAP's sentences (https://cloud.google.com/iap/docs/authentication-howto; GoogleCloudPlatform/professional-services#603
 * for the audience one, which names both the `aud` sent and the one expected).
 */
function readIap(body: string, evidence: Evidence): void {
	const text = body.trim();
	const expected = /doesn't match expected value \(([^)]*)\)/.exec(text)?.[1];
	if (expected) evidence.expectedAudience = safeLine(expected);
	if (/empty token/i.test(text)) evidence.iap = 'empty-token';
	else if (/unable to parse JWT/i.test(text)) evidence.iap = 'unparsable';
	else if (/signature is invalid/i.test(text)) evidence.iap = 'bad-signature';
	else if (/expired/i.test(text)) evidence.iap = 'expired';
	else if (/audience/i.test(text)) evidence.iap = 'audience';
	else if (/'email' claim/i.test(text)) evidence.iap = 'no-email';
	else if (evidence.status === 403) evidence.iap = 'no-access';
	else evidence.iap = 'other';
}

/**
 * The message of a JSON error (at the top or under `error`), the headings of an HTML page, or the first line of text
 * that says something. A JSON body without a message is shown whole on one line: its first line alone is a lone `{`.
 */
function bodyLineOf(body: string, json: unknown): string | undefined {
	const message = (json as {message?: unknown; error_description?: unknown; error?: unknown} | undefined) ?? {};
	const nested = (typeof message.error === 'object' && message.error !== null ? message.error : {}) as {message?: unknown};
	for (const candidate of [message.error_description, message.message, message.error, nested.message]) {
		if (typeof candidate === 'string' && candidate) return safeLine(candidate);
	}
	if (json !== undefined) return safeLine(JSON.stringify(json));
	// JSON cut short (a body past the limit) does not parse: its lines together still read as one.
	if (/^\s*[{[]/.test(body)) return safeLine(body.replace(/\s+/g, ' '));
	if (/<(h1|h2|title)\b/i.test(body)) {
		const headings = [...body.matchAll(/<(h1|h2)\b[^>]*>([\s\S]*?)<\/\1>/gi)]
			.map(match => unescapeHtml(match[2]!.replace(/<[^>]*>/g, '')).trim())
			.filter(Boolean);
		if (headings.length > 0) return safeLine(headings.join(' — '));
	}
	const line =
		body.split(/\r?\n/).find(candidate => /[\p{L}\p{N}]/u.test(candidate)) ?? body.split(/\r?\n/).find(candidate => candidate.trim());
	return line === undefined ? undefined : safeLine(line);
}

/**
 * How far the service's clock is from this one, in whole seconds (positive: the service is ahead). `Date` has a
 * resolution of one second and is cut, not rounded, so its middle (+0.5 s) is the best estimate of the server's time.
 */
export function clockSkewSeconds(serverDate: Date, receivedAt: Date): number {
	return Math.round((serverDate.getTime() + 500 - receivedAt.getTime()) / 1000) || 0;
}
