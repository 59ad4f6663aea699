import type {LookupFunction} from 'node:net';
import {parseJson} from '../core/json.js';
import {HttpFailure, httpRequest} from '../io/http.js';
import {policyLookup, refuseToFetch} from './fetch-policy.js';

/** An issuer's key set we may fetch, with the lookup that keeps each connection to it inside the fetch policy. */
export interface DiscoveredKeySet {
	jwksUri: string;
	lookup: LookupFunction;
}

/**
 * Issuers whose discovery named a key set we may fetch, kept as long as a key set is: a live view refreshing every
 * few minutes asks neither DNS nor the discovery document again, only the cached keys.
 */
const discovered = new Map<string, {keySet: DiscoveredKeySet; at: number}>();
const discoveryMaxAgeMs = 10 * 60_000;

/** The key set of an issuer that is not Google (remembered), or a sentence saying why its keys stay unknown. */
export async function discoverKeySet(issuer: string, timeoutMs: number): Promise<DiscoveredKeySet | string> {
	const known = discovered.get(issuer);
	if (known && Date.now() - known.at < discoveryMaxAgeMs) return known.keySet;
	const refusal = await refuseToFetch(issuer);
	if (refusal) return `The issuer’s keys were not fetched because ${refusal}; give --jwks-uri or --key to check the signature.`;
	const jwksUri = await discoverJwksUri(issuer, timeoutMs);
	if (!jwksUri.startsWith('http')) return jwksUri;
	const jwksRefusal = await refuseToFetch(jwksUri);
	if (jwksRefusal) return `The issuer’s key set was not fetched because ${jwksRefusal}.`;
	const keySet = {jwksUri, lookup: lookupFor(jwksUri)};
	discovered.set(issuer, {keySet, at: Date.now()});
	return keySet;
}

/** The policy applied again as each connection is dialled: the name may resolve elsewhere than when it was checked. */
function lookupFor(url: string): LookupFunction {
	return policyLookup(new URL(url).protocol === 'http:');
}

/** Returns the jwks_uri, or a sentence explaining why discovery failed. */
async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<string> {
	const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
	let answer;
	try {
		answer = await httpRequest(url, {headers: {accept: 'application/json'}, timeoutMs, lookup: lookupFor(url)});
	} catch (error) {
		// Say what happened: a refused connection is not a timeout, and a flood is neither.
		const detail = error instanceof HttpFailure ? error.detail : `within ${timeoutMs / 1000} s`;
		return `The issuer’s OpenID discovery document could not be fetched (${detail}), so its keys are unknown.`;
	}
	if (answer.status !== 200) return `The issuer’s OpenID discovery document answered HTTP ${answer.status}, so its keys are unknown.`;
	const jwksUri = (parseJson(answer.body) as {jwks_uri?: unknown} | undefined)?.jwks_uri;
	return typeof jwksUri === 'string' ? jwksUri : 'The issuer’s discovery document names no jwks_uri.';
}
