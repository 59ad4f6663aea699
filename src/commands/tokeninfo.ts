import {TokscopeError} from '../core/errors.js';

/** Google's tokeninfo endpoint, or the one gcloud's oauth2 override names (how the emulator stands in). */
export function tokenInfoEndpoint(env: NodeJS.ProcessEnv = process.env): string {
	const override = env.CLOUDSDK_API_ENDPOINT_OVERRIDES_OAUTH2;
	return override ? new URL('tokeninfo', override.endsWith('/') ? override : `${override}/`).toString() : 'https://oauth2.googleapis.com/tokeninfo';
}

/** Sends the token to tokeninfo: only ever on the user's explicit request (--tokeninfo). */
export async function lookUpTokenInfo(token: string, parameter: 'access_token' | 'id_token'): Promise<{endpoint: string; answer: unknown}> {
	const endpoint = tokenInfoEndpoint();
	let response: Response;
	try {
		response = await fetch(endpoint, {method: 'POST', body: new URLSearchParams({[parameter]: token}), signal: AbortSignal.timeout(10_000)});
	} catch {
		throw new TokscopeError(`tokeninfo at ${endpoint} could not be reached within 10 s.`);
	}
	const answer: unknown = await response.json().catch(() => ({error: `HTTP ${response.status}`}));
	return {endpoint, answer};
}
