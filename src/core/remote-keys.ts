import {createLocalJWKSet, type JWTVerifyGetKey} from 'jose';
import {getJson} from './http-get.js';

/** How long a fetched key set is trusted before it is fetched again (jose's default for remote sets). */
const maxAgeMs = 10 * 60_000;
/** A token whose key id is not in the set triggers a refetch (keys rotate), but at most this often. */
const cooldownMs = 30_000;

/**
 * An issuer's published keys, fetched on first use, cached, and refetched when stale or when a token names a key the
 * set does not hold: what jose's createRemoteJWKSet does, without fetch (see http-get.ts). Failures carry jose's
 * error codes, so the verdict words them as it words jose's own.
 */
export function remoteKeys(url: string, timeoutMs: number): JWTVerifyGetKey {
	let local: JWTVerifyGetKey | undefined;
	let fetchedAt = 0;
	let pending: Promise<void> | undefined;

	const reload = () =>
		(pending ??= fetchKeySet(url, timeoutMs)
			.then(jwks => {
				local = createLocalJWKSet(jwks);
				fetchedAt = Date.now();
			})
			.finally(() => {
				pending = undefined;
			}));

	return async (header, token) => {
		if (!local || Date.now() - fetchedAt > maxAgeMs) await reload();
		try {
			return await local!(header, token);
		} catch (error) {
			if ((error as {code?: string}).code !== 'ERR_JWKS_NO_MATCHING_KEY' || Date.now() - fetchedAt < cooldownMs) throw error;
			await reload();
			return local!(header, token);
		}
	};
}

async function fetchKeySet(url: string, timeoutMs: number): Promise<Parameters<typeof createLocalJWKSet>[0]> {
	const answer = await getJson(url, timeoutMs).catch((error: {code?: string}) => {
		throw error.code === 'ETIMEDOUT' ? Object.assign(new Error('key set fetch timed out'), {code: 'ERR_JWKS_TIMEOUT'}) : error;
	});
	const keys = (answer.json as {keys?: unknown} | undefined)?.keys;
	if (answer.status !== 200 || !Array.isArray(keys)) throw Object.assign(new Error('not a key set'), {code: 'ERR_JOSE_GENERIC'});
	return answer.json as Parameters<typeof createLocalJWKSet>[0];
}
