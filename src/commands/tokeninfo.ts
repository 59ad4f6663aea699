import {parseJson} from '../core/json.js';
import {redactValue} from '../core/redact.js';
import {rememberSecret} from '../core/secrets.js';
import {httpRequest} from '../io/http.js';

/** Google's tokeninfo endpoint, or the one gcloud's oauth2 override names (how the emulator stands in). */
export function tokenInfoEndpoint(env: NodeJS.ProcessEnv = process.env): string {
	const override = env.CLOUDSDK_API_ENDPOINT_OVERRIDES_OAUTH2;
	return override
		? new URL('tokeninfo', override.endsWith('/') ? override : `${override}/`).toString()
		: 'https://oauth2.googleapis.com/tokeninfo';
}

/**
 * Sends the token to tokeninfo: only ever on the user's explicit request (--tokeninfo). Its answer is a few hundred
 * bytes; anything past 64 KiB, or slower than 10 s, fails with a sentence saying which.
 */
export async function lookUpTokenInfo(token: string, parameter: 'access_token' | 'id_token'): Promise<{endpoint: string; answer: unknown}> {
	const endpoint = tokenInfoEndpoint();
	const response = await httpRequest(endpoint, {
		method: 'POST',
		headers: {'content-type': 'application/x-www-form-urlencoded', accept: 'application/json'},
		body: new URLSearchParams({[parameter]: token}).toString(),
		timeoutMs: 10_000,
		maxBytes: 64 * 1024,
		what: `tokeninfo at ${endpoint}`,
	});
	// A hostile tokeninfo may echo the token back, in any field and any shape: never printed.
	rememberSecret(token);
	const answer = redactValue(parseJson(response.body) ?? {error: `HTTP ${response.status}`});
	return {endpoint, answer};
}
