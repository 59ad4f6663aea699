import type {LookupFunction} from 'node:net';
import {createLocalJWKSet, type JWTVerifyGetKey} from 'jose';
import {parseJson} from '../core/json.js';
import {HttpFailure, httpRequest} from '../io/http.js';

/** How long a fetched key set is trusted before it is fetched again (jose's default for remote sets). */
const maxAgeMs = 10 * 60_000;
/** A token whose key id is not in the set triggers a refetch (keys rotate), but at most this often. */
const cooldownMs = 30_000;

// Remote key sets are cached per URL, so the live view does not refetch keys on every refresh.
const keySets = new Map<string, JWTVerifyGetKey>();

/** The cached key set at `url`; one fetched under the fetch policy (`lookup`) is cached apart from a trusted one. */
export function cachedRemoteKeys(url: string, timeoutMs: number, lookup?: LookupFunction): JWTVerifyGetKey {
	const cacheKey = `${lookup ? 'policy' : 'trusted'} ${url}`;
	let keySet = keySets.get(cacheKey);
	if (!keySet) {
		keySet = remoteKeys(url, timeoutMs, lookup);
		keySets.set(cacheKey, keySet);
	}
	return keySet;
}

/**
 * An issuer's published keys, fetched on first use, cached, and refetched when stale or when a token names a key the
 * set does not hold: what jose's createRemoteJWKSet does, without fetch (see io/http.ts). A timeout or an answer that
 * is not a key set carries jose's error codes, so the verdict words them as it words jose's own; any other failure is
 * io/http's HttpFailure, which says what happened. `lookup` applies the fetch policy to a key set a token chose.
 */
export function remoteKeys(url: string, timeoutMs: number, lookup?: LookupFunction): JWTVerifyGetKey {
	let local: JWTVerifyGetKey | undefined;
	let fetchedAt = 0;
	let pending: Promise<void> | undefined;

	const reload = () =>
		(pending ??= fetchKeySet(url, timeoutMs, lookup)
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

async function fetchKeySet(url: string, timeoutMs: number, lookup?: LookupFunction): Promise<Parameters<typeof createLocalJWKSet>[0]> {
	const answer = await httpRequest(url, {headers: {accept: 'application/json'}, timeoutMs, lookup}).catch((error: unknown) => {
		if (error instanceof HttpFailure && error.code === 'timeout') throw Object.assign(new Error(error.message), {code: 'ERR_JWKS_TIMEOUT'});
		throw error;
	});
	const json = parseJson(answer.body);
	const keys = (json as {keys?: unknown} | undefined)?.keys;
	if (answer.status !== 200 || !Array.isArray(keys)) throw Object.assign(new Error('not a key set'), {code: 'ERR_JOSE_GENERIC'});
	return json as Parameters<typeof createLocalJWKSet>[0];
}
