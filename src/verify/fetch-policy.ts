import {lookup as dnsLookup} from 'node:dns';
import {lookup} from 'node:dns/promises';
import {BlockList, isIP, type LookupFunction} from 'node:net';
import {hasHiddenCharacters} from '../core/terminal-safe.js';
import {withDeadline} from '../io/deadline.js';

// A pasted token names its own issuer; fetching that issuer's keys must not let the token steer us to the metadata
// server (169.254.169.254), a private network, or plain http off this machine.
const forbiddenV4 = new BlockList();
for (const [network, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.0.2.0', 24], // documentation ranges (RFC 5737): no real issuer lives there
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['198.51.100.0', 24],
	['203.0.113.0', 24],
	['224.0.0.0', 4],
	['240.0.0.0', 4],
] as const) {
	forbiddenV4.addSubnet(network, prefix, 'ipv4');
}
const forbiddenV6 = new BlockList();
for (const [network, prefix] of [
	['::', 96], // unspecified, and the deprecated IPv4-compatible form (its IPv4 part is judged below)
	['64:ff9b:1::', 48], // NAT64 for local use (RFC 8215): its IPv4 part may sit anywhere, so the whole prefix is refused
	['100::', 64], // discard-only
	['2001::', 32], // Teredo: a tunnel to an IPv4 address hidden in the bits
	['2001:db8::', 32], // documentation (RFC 3849), and its newer sibling 3fff::/20 (RFC 9637)
	['3fff::', 20],
	['fc00::', 7],
	['fe80::', 10],
	['fec0::', 10],
	['ff00::', 8],
] as const) {
	forbiddenV6.addSubnet(network, prefix, 'ipv6');
}
const loopbackV4 = new BlockList();
loopbackV4.addSubnet('127.0.0.0', 8, 'ipv4');

export type AddressClass = 'loopback' | 'forbidden' | 'public';

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part counts as two), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
	if (isIP(address) !== 6) return undefined;
	let text = address.toLowerCase();
	const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
	if (dotted) {
		const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
		text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.split('::') as [string, string | undefined];
	const parse = (part: string) => (part ? part.split(':').map(group => Number.parseInt(group, 16)) : []);
	const left = parse(head);
	const right = tail === undefined ? [] : parse(tail);
	const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
	return groups.length === 8 ? groups : undefined;
}

const ipv4Of = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

/**
 * The IPv4 address an IPv6 address carries, and how: mapped (`::ffff:a.b.c.d`, which *is* that IPv4 address to the
 * socket), or embedded by a translation or tunnel (NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, SIIT `::ffff:0:a.b.c.d`,
 * the deprecated compatible `::a.b.c.d`), which reaches that IPv4 address through a gateway.
 */
export function embeddedIpv4(address: string): {ipv4: string; mapped: boolean} | undefined {
	const groups = ipv6Groups(address);
	if (!groups) return undefined;
	const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
	const zeros = (...values: number[]) => values.every(value => value === 0);
	if (zeros(g0, g1, g2, g3, g4) && g5 === 0xffff) return {ipv4: ipv4Of(g6, g7), mapped: true};
	if (zeros(g0, g1, g2, g3, g5) && g4 === 0xffff) return {ipv4: ipv4Of(g6, g7), mapped: false};
	if (g0 === 0x64 && g1 === 0xff9b && zeros(g2, g3, g4, g5)) return {ipv4: ipv4Of(g6, g7), mapped: false};
	if (g0 === 0x2002) return {ipv4: ipv4Of(g1, g2), mapped: false};
	if (zeros(g0, g1, g2, g3, g4, g5) && !(g6 === 0 && g7 <= 1)) return {ipv4: ipv4Of(g6, g7), mapped: false};
	return undefined;
}

/**
 * Where an address leads, judged on its normal form: brackets and a zone (`%eth0`) removed, and an IPv4 address
 * carried inside an IPv6 one judged as that IPv4 address. Only real loopback (127/8, ::1, and their mapped form)
 * counts as loopback: loopback reached through a NAT64 or 6to4 gateway is someone else's machine.
 */
export function classifyAddress(address: string): AddressClass {
	const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	const version = isIP(plain);
	if (version === 4) return loopbackV4.check(plain, 'ipv4') ? 'loopback' : forbiddenV4.check(plain, 'ipv4') ? 'forbidden' : 'public';
	if (version !== 6) return 'forbidden';
	const groups = ipv6Groups(plain)!;
	if (groups.slice(0, 7).every(group => group === 0) && groups[7] === 1) return 'loopback';
	const carried = embeddedIpv4(plain);
	if (carried) {
		const inner = classifyAddress(carried.ipv4);
		if (carried.mapped) return inner;
		if (inner !== 'public') return 'forbidden';
	}
	return forbiddenV6.check(plain, 'ipv6') ? 'forbidden' : 'public';
}

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
