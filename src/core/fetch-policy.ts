import {lookup} from 'node:dns/promises';
import {BlockList, isIP} from 'node:net';

// A pasted token names its own issuer; fetching that issuer's keys must not let the token steer us to the metadata
// server (169.254.169.254), a private network, or plain http off this machine.
const forbidden = new BlockList();
for (const [network, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.168.0.0', 16],
	['224.0.0.0', 4],
	['240.0.0.0', 4],
] as const) {
	forbidden.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8],
	['::', 128],
] as const) {
	forbidden.addSubnet(network, prefix, 'ipv6');
}
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

function family(address: string): 'ipv4' | 'ipv6' {
	return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

function isLoopback(address: string): boolean {
	const mapped = address.replace(/^::ffff:/i, '');
	return loopback.check(mapped, family(mapped));
}

function isForbidden(address: string): boolean {
	const mapped = address.replace(/^::ffff:/i, '');
	return forbidden.check(mapped, family(mapped));
}

// A resolver that never answers must not hang `inspect`: getaddrinfo has no deadline of its own.
const lookupTimeoutMs = 5000;

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, fail) => {
		timer = setTimeout(() => fail(new Error('timed out')), ms);
		timer.unref();
	});
	return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Returns why a URL taken from a token must not be fetched, or undefined when it may be:
 * only https, or http on loopback (the emulator); never link-local, private or unresolvable hosts.
 */
export async function refuseToFetch(url: string): Promise<string | undefined> {
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
			addresses = (await withDeadline(lookup(host, {all: true, verbatim: true}), lookupTimeoutMs)).map(entry => entry.address);
		} catch {
			return `${host} cannot be resolved`;
		}
	}
	if (addresses.every(isLoopback)) return undefined;
	if (parsed.protocol === 'http:') return 'it uses plain http off this machine';
	const bad = addresses.find(address => isForbidden(address) || isLoopback(address));
	if (bad) return `${host} resolves to ${bad}, a link-local, private or reserved address`;
	return undefined;
}
