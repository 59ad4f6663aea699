import {TokscopeError} from '../core/errors.js';
import {isGoogleApiHost} from '../core/google.js';
import {isLoopbackHost} from '../core/hosts.js';
import {terminalSafe} from '../core/terminal-safe.js';
import type {RawToken, TokenType} from '../core/types.js';
import {sourceEntry} from '../sources/catalog.js';
import type {TokenSource} from '../sources/types.js';

// Where a token may be sent, and which token a URL needs: doctor, curl and the live view's try-it all ask here.
// What a URL tells about the service behind it comes from the host name alone (which product, which token, which
// audience); the answer to the call may tell more (evidence.ts), and the report uses both.

/** The products doctor knows; the same names as the emulator's stand-ins and `doctor --json`'s `target.kind`. */
export type TargetKind = 'cloud-run' | 'cloud-functions' | 'iap' | 'api-gateway' | 'google-api' | 'unknown';

export interface Target {
	url: URL;
	/** What the host name says; `unknown` for custom domains, load balancers and loopback. */
	kind: TargetKind;
	/** The token to send: an OIDC ID token, or an OAuth access token for Google's APIs. */
	wants: TokenType;
	/** For an ID token: the audience to mint for (`--audience` when given). */
	audience?: string;
	/** The audience the product expects when the URL tells it (undefined for unknown hosts and IAP). */
	expectedAudience?: string;
}

export const productNames: Record<TargetKind, string> = {
	'cloud-run': 'Cloud Run',
	'cloud-functions': 'Cloud Functions',
	iap: 'Identity-Aware Proxy',
	'api-gateway': 'API Gateway',
	'google-api': 'a Google API',
	unknown: 'the service',
};

/**
 * The URL the user named, or one sentence on why no token may go there: the token is sent only over https, or plain
 * http to this machine (the emulator, a local proxy); never with a user name or password riding along. Checked before
 * anything is minted, so a refused URL costs no token and no packet. `command` names the command in the sentences.
 */
export function parseTargetUrl(text: string, command: 'doctor' | 'curl' = 'doctor'): URL {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		throw new TokscopeError('usage', `"${terminalSafe(text).slice(0, 200)}" is not a URL.`, {
			hint: `Give the full address, e.g. tokscope ${command} https://my-service-abc123-uc.a.run.app`,
		});
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new TokscopeError(
			'usage',
			`tokscope ${command} sends a bearer token, so it takes http(s) URLs only, not ${terminalSafe(url.protocol)}.`,
		);
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		throw new TokscopeError(
			'insecure-url',
			`The token is sent only over https (plain http only to this machine), so ${terminalSafe(url.origin)} was not called.`,
			{
				hint:
					`Use https://${terminalSafe(url.host)}${terminalSafe(url.pathname)}: Google's front end serves ` +
					`Cloud Run, Cloud Functions and IAP over https.`,
			},
		);
	}
	if (url.username || url.password)
		throw new TokscopeError(
			'usage',
			`The URL carries a user name or password; tokscope ${command} sends only the bearer token, so remove them.`,
		);
	url.hash = '';
	return url;
}

/**
 * The product a host name names, and the token it wants. Hosts and audiences:
 * - `*.run.app`: Cloud Run; the audience is the service's run.app URL, the origin
 *   (https://cloud.google.com/run/docs/configuring/custom-audiences).
 * - `*.cloudfunctions.net`: Cloud Functions; the audience is the full function URL, path included
 *   (https://cloud.google.com/functions/docs/securing/authenticating; google-auth-library-nodejs#1208, #1339).
 * - `*.gateway.dev` (API Gateway) and `*.cloud.goog` (Cloud Endpoints): ESPv2 checks the audiences its config lists,
 *   by default the gateway's URL (https://cloud.google.com/api-gateway/docs/authenticating-service-account).
 * - `*.googleapis.com`: Google's APIs want an OAuth 2 access token, never an ID token
 *   (https://cloud.google.com/docs/authentication/token-types).
 * - Anything else (a custom domain, a load balancer, IAP, loopback): an ID token for the origin; the answer says more.
 */
export function classifyTarget(url: URL, audience?: string): Target {
	const host = url.hostname.toLowerCase();
	const origin = url.origin;
	if (isGoogleApiHost(host)) return {url, kind: 'google-api', wants: 'access'};
	if (host.endsWith('.run.app')) return {url, kind: 'cloud-run', wants: 'id', audience: audience ?? origin, expectedAudience: origin};
	if (host.endsWith('.cloudfunctions.net')) {
		const functionUrl = functionUrlOf(url);
		return {url, kind: 'cloud-functions', wants: 'id', audience: audience ?? functionUrl, expectedAudience: functionUrl};
	}
	if (host.endsWith('.gateway.dev') || host.endsWith('.cloud.goog'))
		return {url, kind: 'api-gateway', wants: 'id', audience: audience ?? origin};
	return {url, kind: 'unknown', wants: 'id', audience: audience ?? origin};
}

/** The token a call sends: an access token (with the scopes asked for), or an ID token for `audience`. */
export type TokenNeed = {type: 'access'; scopes?: string[]} | {type: 'id'; audience: string};

/**
 * The token a target needs (classifyTarget: an access token for Google's APIs, an ID token for the function URL on
 * Cloud Functions and for the origin elsewhere), with the user's word over it: an audience given means an ID token for
 * it, and `type` (curl's --token-kind) overrides both.
 */
export function tokenFor(target: Target, override: {type?: TokenType; audience?: string; scopes?: string[]} = {}): TokenNeed {
	const type = override.type ?? (override.audience ? 'id' : target.wants);
	if (type === 'access') return {type, ...(override.scopes ? {scopes: override.scopes} : {})};
	// A Google API's URL names no audience: asked for an ID token there anyway, mint for its origin.
	return {type, audience: override.audience ?? target.audience ?? target.url.origin};
}

/**
 * Asks the source for the token a call needs. An ID token always carries the email claim (format=full on the
 * metadata server): IAP refuses one without it, and every other service ignores it, so doctor's call and curl's
 * send the same token (https://cloud.google.com/iap/docs/authentication-howto).
 */
export async function mintFor(source: TokenSource, need: TokenNeed): Promise<RawToken> {
	if (need.type === 'access') return source.accessToken({scopes: need.scopes});
	if (sourceEntry(source.id).mintsIdTokens === false) {
		throw new TokscopeError(
			'cannot-mint',
			`${source.label} cannot mint an ID token for ${terminalSafe(need.audience)}; pick another source.`,
		);
	}
	return source.idToken({audience: need.audience, includeEmail: true, format: 'full'});
}

/** A 1st gen function's URL is its origin and first path segment; sub-paths are the function's own routing. */
export function functionUrlOf(url: URL): string {
	const [name] = url.pathname.split('/').filter(Boolean);
	return name ? `${url.origin}/${name}` : url.origin;
}

/**
 * The audiences worth trying when the service refused the one sent: the origin, with a slash, the full URL, the
 * function URL and the one the user gave. At most five, in that order, each once. Only forms of the URL called: an
 * audience the service names in its answer could be any other service's, and a token minted for it would be handed to
 * the one that named it; it is suggested, never minted unasked.
 */
export function candidateAudiences(url: URL, extra: {given?: string} = {}): string[] {
	const path = url.pathname === '/' ? '' : url.pathname;
	const candidates = [
		url.origin,
		`${url.origin}/`,
		path ? `${url.origin}${path}` : undefined,
		path ? functionUrlOf(url) : undefined,
		extra.given,
	];
	return [...new Set(candidates.filter((value): value is string => Boolean(value)))].slice(0, 5);
}
