import {lookup as dnsLookup} from 'node:dns';
import {lookup} from 'node:dns/promises';
import {isIP, type LookupFunction} from 'node:net';
import {classifyAddress} from '../core/hosts.js';
import {hasHiddenCharacters} from '../core/terminal-safe.js';
import {withDeadline} from '../io/deadline.js';

// A pasted token names its own issuer; fetching that issuer's keys must not let the token steer us to the metadata
// server (169.254.169.254), a private network, or plain http off this machine. Where an address leads is core/hosts'.

/** Why these addresses (one host's) must not be fetched from, or undefined when they may be. */
export function judgeAddresses(host: string, addresses: string[], plainHttp: boolean): string | undefined {
	if (addresses.length === 0) return `${host} cannot be resolved`;
	const classes = addresses.map(classifyAddress);
	if (classes.every(kind => kind === 'loopback')) return undefined;
	if (plainHttp) return 'it uses plain http off this machine';
	const bad = addresses.find((_, index) => classes[index] !== 'public');
	if (bad) return `${host} resolves to ${bad}, a link-local, private or reserved address`;
	return undefined;
}

// A resolver that never answers must not hang `inspect`: getaddrinfo has no deadline of its own.
const lookupTimeoutMs = 5000;

/**
 * Returns why a URL taken from a token must not be fetched, or undefined when it may be:
 * only https, or http on loopback (the emulator); never link-local, private or unresolvable hosts.
 */
export async function refuseToFetch(url: string): Promise<string | undefined> {
	// The URL parser drops what Unicode calls ignorable (https://accounts.google.com + U+FE0F is accounts.google.com to
	// it): the address a reader sees must be the one that is asked.
	if (hasHiddenCharacters(url)) return 'it holds control or invisible characters, which would be dropped from the address asked';
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'it is not a URL';
	}
	const host = parsed.hostname.replace(/^\[|\]$/g, '');
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `${parsed.protocol} is not a web address`;
	let addresses: string[];
	if (isIP(host)) addresses = [host];
	else if (host === 'localhost') addresses = ['127.0.0.1'];
	else {
		try {
			addresses = (await withDeadline(lookup(host, {all: true, verbatim: true}), lookupTimeoutMs, 'DNS')).map(entry => entry.address);
		} catch {
			return `${host} cannot be resolved`;
		}
	}
	return judgeAddresses(host, addresses, parsed.protocol === 'http:');
}

type Resolve = (host: string, callback: (error: Error | null, addresses: {address: string; family: number}[]) => void) => void;
const systemResolve: Resolve = (host, callback) => dnsLookup(host, {all: true, verbatim: true}, callback);

/**
 * A `lookup` for io/http that applies the policy to the addresses the socket is about to dial: a name that resolved to
 * a public address for refuseToFetch and to 169.254.169.254 a moment later (DNS rebinding) is refused here.
 * `resolve` is the system resolver; tests hand in their own so no name ever leaves the machine.
 */
export function policyLookup(plainHttp: boolean, resolve: Resolve = systemResolve): LookupFunction {
	return ((host: string, options: {all?: boolean}, callback: (...args: unknown[]) => void) => {
		resolve(host, (error, addresses) => {
			if (error) return callback(error);
			const refusal = judgeAddresses(
				host,
				addresses.map(entry => entry.address),
				plainHttp,
			);
			if (refusal) return callback(Object.assign(new Error(refusal), {code: 'EPOLICY'}));
			if (options.all) return callback(null, addresses);
			callback(null, addresses[0]!.address, addresses[0]!.family);
		});
	}) as LookupFunction;
}
