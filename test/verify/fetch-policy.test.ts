import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {describe, expect, it} from 'vitest';
import {HttpFailure, httpRequest} from '../../src/io/http.js';
import {judgeAddresses, policyLookup, refuseToFetch} from '../../src/verify/fetch-policy.js';

// Tests of the policy alone: an IP literal is judged without any lookup, and nothing here connects anywhere but
// 127.0.0.1, so no packet leaves the loopback range even if the policy were wrong.

describe('addresses in every spelling are judged by where they lead', () => {
	it.each([
		// IPv4-mapped IPv6: the socket reaches the IPv4 address itself.
		['https://[::ffff:169.254.169.254]', '::ffff:a9fe:a9fe'],
		['https://[::ffff:a9fe:a9fe]', '::ffff:a9fe:a9fe'],
		['https://[0:0:0:0:0:ffff:a9fe:a9fe]', '::ffff:a9fe:a9fe'],
		['https://[::ffff:10.0.0.1]', '::ffff:a00:1'],
		['https://[::ffff:192.168.1.1]', '::ffff:c0a8:101'],
		// NAT64 (64:ff9b::/96) and its local-use prefix: a gateway forwards to the IPv4 address inside.
		['https://[64:ff9b::169.254.169.254]', '64:ff9b::a9fe:a9fe'],
		['https://[64:ff9b::a9fe:a9fe]', '64:ff9b::a9fe:a9fe'],
		['https://[64:ff9b::10.1.2.3]', '64:ff9b::a01:203'],
		['https://[64:ff9b::127.0.0.1]', '64:ff9b::7f00:1'],
		['https://[64:ff9b:1::a9fe:a9fe]', '64:ff9b:1::a9fe:a9fe'],
		// 6to4 (2002::/16): the IPv4 address is the next 32 bits.
		['https://[2002:a9fe:a9fe::1]', '2002:a9fe:a9fe::1'],
		['https://[2002:c0a8:0101::]', '2002:c0a8:101::'],
		['https://[2002:7f00:1::]', '2002:7f00:1::'],
		// SIIT (::ffff:0:a.b.c.d), the deprecated compatible form (::a.b.c.d), and Teredo.
		['https://[::ffff:0:169.254.169.254]', '::ffff:0:a9fe:a9fe'],
		['https://[::169.254.169.254]', '::a9fe:a9fe'],
		['https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
		// IPv4 in hex, octal and one number: the URL parser gives the dotted form, which is then refused.
		['https://0xa9fea9fe', '169.254.169.254'],
		['https://0251.0376.0251.0376', '169.254.169.254'],
		['https://2852039166', '169.254.169.254'],
		['https://[fe80::1]', 'fe80::1'],
		['https://[::]', '::'],
		['https://0.0.0.0', '0.0.0.0'],
		// The documentation ranges (RFC 5737, RFC 3849, RFC 9637): no real issuer lives there.
		['https://192.0.2.1', '192.0.2.1'],
		['https://198.51.100.7', '198.51.100.7'],
		['https://203.0.113.255', '203.0.113.255'],
		['https://[2001:db8::1]', '2001:db8::1'],
		['https://[2001:db8:ffff:ffff::]', '2001:db8:ffff:ffff::'],
		['https://[3fff::1]', '3fff::1'],
		['https://[::ffff:192.0.2.1]', '::ffff:c000:201'],
		['https://[64:ff9b::203.0.113.1]', '64:ff9b::cb00:7101'],
	])('refuses %s', async (url, address) => {
		expect(await refuseToFetch(url)).toBe(`${address} resolves to ${address}, a link-local, private or reserved address`);
	});

	const publicForms = [
		'https://[::ffff:8.8.8.8]',
		'https://[64:ff9b::808:808]',
		'https://[2002:808:808::1]',
		'https://8.8.8.8',
		'https://[2001:4860::8888]',
		'https://192.0.3.1',
		'https://203.0.114.1',
		'https://[2001:db9::1]',
	];
	it.each(publicForms)('lets %s through: a public address in any spelling is still public', async url => {
		expect(await refuseToFetch(url)).toBeUndefined();
	});

	it('allows plain http to loopback in any spelling (the emulator), and nowhere else', async () => {
		expect(await refuseToFetch('http://[::ffff:127.0.0.1]:4000')).toBeUndefined();
		expect(await refuseToFetch('http://[64:ff9b::7f00:1]:4000')).toBe('it uses plain http off this machine');
	});

	it('refuses a name when any of its addresses is internal, in any spelling', () => {
		expect(judgeAddresses('issuer.example', ['8.8.8.8', '::ffff:a9fe:a9fe'], false)).toBe(
			'issuer.example resolves to ::ffff:a9fe:a9fe, a link-local, private or reserved address',
		);
		expect(judgeAddresses('issuer.example', ['8.8.8.8', '2001:4860:4860::8888'], false)).toBeUndefined();
	});
});

describe('the policy holds where the socket is dialled', () => {
	it('refuses a name that resolves to a refused address when the connection is made (DNS rebinding), without connecting', async () => {
		let connections = 0;
		const server = createServer((_, response) => response.end('{"keys": []}'));
		server.on('connection', () => connections++);
		await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
		const {port} = server.address() as AddressInfo;
		try {
			// 0.0.0.0 is refused by the policy, and would reach this loopback server were the refusal missing.
			const rebound = policyLookup(false, (_, callback) => callback(null, [{address: '0.0.0.0', family: 4}]));
			const request = httpRequest(`http://issuer.test:${port}/keys`, {lookup: rebound, what: 'The issuer'});
			const error = await request.catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(HttpFailure);
			expect((error as HttpFailure).code).toBe('policy');
			expect((error as HttpFailure).message).toBe(
				'The issuer was not asked: issuer.test resolves to 0.0.0.0, a link-local, private or reserved address.',
			);
			expect(connections).toBe(0);

			const honest = policyLookup(true, (_, callback) => callback(null, [{address: '127.0.0.1', family: 4}]));
			expect((await httpRequest(`http://issuer.test:${port}/keys`, {lookup: honest})).body).toBe('{"keys": []}');
			expect(connections).toBe(1);
		} finally {
			server.closeAllConnections();
			server.close();
		}
	});
});
