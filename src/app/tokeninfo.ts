import {parseJson} from '../core/json.js';
import {redactValue} from '../core/redact.js';
import {rememberSecret} from '../core/secrets.js';
import {httpRequest} from '../io/http.js';
import type {TokenInfo} from '../ui/services.js';

/**
 * Asks tokeninfo about an access token, for the details pane: only when the user presses t (it sends the token
 * there). The endpoint is the environment's (the emulator's in the demo), within 10 s and 64 KiB.
 */
export async function lookUpTokenInfoAt(endpoint: string, token: string): Promise<TokenInfo> {
	const response = await httpRequest(endpoint, {
		method: 'POST',
		headers: {'content-type': 'application/x-www-form-urlencoded', accept: 'application/json'},
		body: new URLSearchParams({access_token: token}).toString(),
		timeoutMs: 10_000,
		maxBytes: 64 * 1024,
		what: `tokeninfo at ${endpoint}`,
	});
	// A hostile tokeninfo may echo the token back, in any field and any shape: never shown.
	rememberSecret(token);
	const answer = redactValue(parseJson(response.body));
	const isObject = answer && typeof answer === 'object' && !Array.isArray(answer);
	const fields = isObject ? (answer as Record<string, unknown>) : {error: `HTTP ${response.status}`};
	return {endpoint, fields};
}
