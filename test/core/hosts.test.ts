import {describe, expect, it} from 'vitest';
import {
	classifyAddress,
	embeddedIpv4,
	isLinkLocalAddress,
	isLoopbackAddress,
	isLoopbackHost,
	isLoopbackUrl,
	listenAddress,
} from '../../src/core/hosts.js';
// Pure policy checks on address text: nothing here is dialled, so no packet leaves loopback and no network namespace is needed.

// The one definition of "this machine": doctor's and curl's plain-http rule, the audience check, a credential file's
// token_uri, the proxy bypass and a sign-in's redirect all ask here, so its edges are tested once.

describe('loopback, at its edges', () => {
	it('calls only real loopback loopback: through a gateway, 127.0.0.1 is someone else’s machine', () => {
		expect(classifyAddress('127.0.0.1')).toBe('loopback');
		expect(classifyAddress('::1')).toBe('loopback');
		expect(classifyAddress('::ffff:127.0.0.1')).toBe('loopback');
		expect(classifyAddress('[::ffff:7f00:1]')).toBe('loopback');
		expect(classifyAddress('64:ff9b::7f00:1')).toBe('forbidden');
		expect(classifyAddress('2002:7f00:1::')).toBe('forbidden');
		expect(classifyAddress('::7f00:1')).toBe('forbidden');
		expect(classifyAddress('fe80::1%eth0')).toBe('forbidden');
	});

	it('finds the IPv4 address inside each form', () => {
		expect(embeddedIpv4('::ffff:169.254.169.254')).toEqual({ipv4: '169.254.169.254', mapped: true});
		expect(embeddedIpv4('64:ff9b::a9fe:a9fe')).toEqual({ipv4: '169.254.169.254', mapped: false});
		expect(embeddedIpv4('2002:a9fe:a9fe:1::1')).toEqual({ipv4: '169.254.169.254', mapped: false});
		expect(embeddedIpv4('::ffff:0:a9fe:a9fe')).toEqual({ipv4: '169.254.169.254', mapped: false});
		expect(embeddedIpv4('2001:4860:4860::8888')).toBeUndefined();
		expect(embeddedIpv4('::1')).toBeUndefined();
	});

	it('is 127.0.0.0/8 whole, ::1, and the mapped form; never a neighbour', () => {
		for (const address of ['127.0.0.1', '127.0.0.0', '127.255.255.255', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.9.9.9']) {
			expect(isLoopbackAddress(address)).toBe(true);
		}
		for (const address of ['126.255.255.255', '128.0.0.0', '::2', '::', '0.0.0.0', '::ffff:128.0.0.1', '169.254.169.254', 'fe80::1']) {
			expect(isLoopbackAddress(address)).toBe(false);
		}
	});

	it('as a URL’s host: localhost and any loopback spelling the URL parser leaves, not a name that merely starts like one', () => {
		const host = (url: string) => new URL(url).hostname;
		for (const url of ['http://localhost:8080/', 'http://LOCALHOST./', 'http://127.0.0.1/', 'http://127.1/', 'http://[::1]:4000/']) {
			expect(isLoopbackHost(host(url))).toBe(true);
		}
		for (const url of ['http://[::ffff:127.0.0.1]/', 'http://2130706433/', 'http://0x7f.1/']) expect(isLoopbackHost(host(url))).toBe(true);
		for (const url of ['http://127.0.0.1.example.com/', 'http://localhost.example.com/', 'http://192.0.2.1/', 'http://[::2]/']) {
			expect(isLoopbackHost(host(url))).toBe(false);
		}
		expect(isLoopbackUrl('http://127.0.0.1:9/token')).toBe(true);
		expect(isLoopbackUrl('ftp://127.0.0.1/')).toBe(false);
		expect(isLoopbackUrl('not a url')).toBe(false);
	});

	it('link-local is 169.254/16 and fe80::/10, however spelled, and is not loopback', () => {
		for (const address of ['169.254.169.254', '169.254.0.1', '[::ffff:169.254.169.254]', 'fe80::1', 'fe80::1%eth0', 'febf::1']) {
			expect(isLinkLocalAddress(address)).toBe(true);
		}
		for (const address of ['169.253.255.255', '169.255.0.0', '127.0.0.1', 'fec0::1', '8.8.8.8'])
			expect(isLinkLocalAddress(address)).toBe(false);
	});

	it('listens where a loopback host points: brackets off, localhost on 127.0.0.1', () => {
		expect(listenAddress('[::1]')).toBe('::1');
		expect(listenAddress('localhost')).toBe('127.0.0.1');
		expect(listenAddress('127.0.0.1')).toBe('127.0.0.1');
	});
});
