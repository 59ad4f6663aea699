import {parseJson} from '../core/json.js';
import {redactValue} from '../core/redact.js';
import {rememberSecret} from '../core/secrets.js';
import {httpRequest} from '../io/http.js';

// Google's tokeninfo: the one call that hands the token itself to someone else, so it is made only on the user's
// explicit request (inspect --tokeninfo, the details pane's t). Its answer is a few hundred bytes; anything past
// 64 KiB, or slower than 10 s, fails with a sentence saying which. Where it lives is core/google's tokenInfoEndpoint.

/** What tokeninfo said about a token: its JSON object, or `{error: "HTTP n"}` when the answer held none. */
export interface TokenInfo {
	endpoint: string;
	fields: Record<string, unknown>;
}

export async function lookUpTokenInfo(endpoint: string, token: string, parameter: 'access_token' | 'id_token'): Promise<TokenInfo> {
	const response = await httpRequest(endpoint, {
		method: 'POST',
		headers: {'content-type': 'application/x-www-form-urlencoded', accept: 'application/json'},
		body: new URLSearchParams({[parameter]: token}).toString(),
		timeoutMs: 10_000,
		maxBytes: 64 * 1024,
		what: `tokeninfo at ${endpoint}`,
	});
	// A hostile tokeninfo may echo the token back, in any field and any shape: never shown.
	rememberSecret(token);
	const answer = redactValue(parseJson(response.body));
	const isObject = answer !== null && typeof answer === 'object' && !Array.isArray(answer);
	return {endpoint, fields: isObject ? (answer as Record<string, unknown>) : {error: `HTTP ${response.status}`}};
}
