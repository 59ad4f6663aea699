import {BlockList, isIP} from 'node:net';

// Where a host or an address leads, written once: loopback (this machine), link-local, private or reserved
// (forbidden to a URL a token chose), or public. Pure.

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

/** 127.0.0.0/8, ::1, and their IPv4-mapped form (::ffff:127.x.y.z), which the socket treats as the IPv4 address. */
export function isLoopbackAddress(address: string): boolean {
	return classifyAddress(address) === 'loopback';
}

/** 169.254.0.0/16 (the metadata server's range) and fe80::/10, however spelled. */
export function isLinkLocalAddress(address: string): boolean {
	const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	const carried = embeddedIpv4(plain);
	const ipv4 = isIP(plain) === 4 ? plain : carried?.mapped ? carried.ipv4 : undefined;
	if (ipv4) return linkLocalV4.check(ipv4, 'ipv4');
	return isIP(plain) === 6 && linkLocalV6.check(plain, 'ipv6');
}

const linkLocalV4 = new BlockList();
linkLocalV4.addSubnet('169.254.0.0', 16, 'ipv4');
const linkLocalV6 = new BlockList();
linkLocalV6.addSubnet('fe80::', 10, 'ipv6');

/**
 * A URL's host name that is this machine: `localhost` (RFC 6761 reserves it for loopback) or a loopback address in any
 * spelling the URL parser leaves (`127.1.2.3`, `[::1]`, `[::ffff:7f00:1]`). A name is taken at its word here; a socket
 * that dials it checks the address it resolves to (fetch-policy's lookup).
 */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return host === 'localhost' || isLoopbackAddress(host);
}

/** A URL on this machine: http(s) to a loopback host. */
export function isLoopbackUrl(url: string | URL): boolean {
	const parsed = typeof url === 'string' ? URL.parse(url) : url;
	return parsed !== null && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopbackHost(parsed.hostname);
}

/** The address to listen on for a loopback host: the URL's brackets removed, and localhost as 127.0.0.1. */
export function listenAddress(hostname: string): string {
	const host = hostname.replace(/^\[|\]$/g, '');
	return host.toLowerCase() === 'localhost' ? '127.0.0.1' : host;
}
