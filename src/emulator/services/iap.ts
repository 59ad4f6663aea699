import type {ServerResponse} from 'node:http';
import {audiencesOf} from './bearer.js';
import {send, traceContext, type ServiceRequest} from './context.js';

// Identity-Aware Proxy, programmatic access: an ID token whose `aud` is the OAuth client ID IAP uses
// (https://cloud.google.com/iap/docs/authentication-howto). Its refusals are one plain sentence under
// `content-type: text/html` with `x-goog-iap-generated-response: true`, measured and quoted in public code:
// "Invalid IAP credentials: empty token" (302 when the client can follow it), "… Unable to parse JWT" (a garbage or
// access token), "… JWT signature is invalid", and GoogleCloudPlatform/professional-services#603 for the audience one.

function refuse(response: ServerResponse, status: number, sentence: string, headers: Record<string, string> = {}): void {
	send(response, status, sentence, {
		'Content-Type': 'text/html; charset=UTF-8',
		'X-Goog-IAP-Generated-Response': 'true',
		Server: 'Google Frontend',
		'X-Cloud-Trace-Context': traceContext(),
		...headers,
	});
}

export function answerIap({presented, settings, url, request, response, state}: ServiceRequest): void {
	const [expected = ''] = settings.audiences;
	if (presented.kind === 'none') {
		// IAP redirects to sign-in only a client that can follow it; a POST or an XHR gets 401
		// (https://cloud.google.com/iap/docs/faq "Why am I receiving an HTTP 401 … instead of a 302").
		const canRedirect = (request.method === 'GET' || request.method === 'HEAD') && request.headers['x-requested-with'] !== 'XMLHttpRequest';
		if (!canRedirect) return refuse(response, 401, 'Invalid IAP credentials: empty token');
		const signIn = new URL(state.endpoints.authorization);
		signIn.search = new URLSearchParams({
			client_id: expected,
			response_type: 'code',
			scope: 'openid email',
			redirect_uri: `${settings.origin}/_gcp_gatekeeper/authenticate`,
			state: url.pathname,
		}).toString();
		return refuse(response, 302, 'Invalid IAP credentials: empty token', {Location: signIn.toString()});
	}
	if (presented.kind === 'opaque') return refuse(response, 401, 'Invalid IAP credentials: Unable to parse JWT');
	if (!presented.signedByGoogle) return refuse(response, 401, 'Invalid IAP credentials: JWT signature is invalid');
	// Assumed wording: quoted in public test fixtures, not in Google's docs.
	if (presented.expired) return refuse(response, 401, 'Invalid IAP credentials: Expired JWT');
	const audiences = audiencesOf(presented.claims);
	if (!audiences.some(audience => settings.audiences.includes(audience))) {
		const aud = audiences.join(', ');
		const sentence = `JWT audience doesn't match this application ('aud' claim (${aud}) doesn't match expected value (${expected}))`;
		return refuse(response, 401, `Invalid IAP credentials: ${sentence}`);
	}
	// IAP wants to know who: a token minted without --include-email / format=full is refused (quoted in public notes).
	if (typeof presented.claims.email !== 'string') return refuse(response, 401, "Invalid IAP credentials: JWT 'email' claim isn't a string");
	if (!settings.invokers.has(presented.claims.email.toLowerCase())) {
		// The principal is not an IAP-secured Web App User. The page's words are assumed ("You don't have access",
		// GoogleCloudPlatform/vertex-ai-creative-studio#907); the 403 is what Google's make_iap_request.py checks for.
		return refuse(response, 403, "You don't have access. Ask the application's owner for roles/iap.httpsResourceAccessor.");
	}
	send(response, 200, `Hello from an IAP-protected app, ${presented.claims.email}!\n`, {
		'Content-Type': 'text/plain; charset=utf-8',
		Server: 'Google Frontend',
		'X-Cloud-Trace-Context': traceContext(),
	});
}
