// Tests send packets only to the loopback range. This guard makes that a fact rather than a hope, in the test workers
// (test/support/setup.ts) and in every CLI they start (test/support/cli.ts passes it with NODE_OPTIONS=--import):
// a name other than localhost is never looked up (this machine's resolver is off loopback, so even a DNS query would
// leave it) and a connection to an address off loopback is never opened. Both fail the way a missing host or a
// refused connection does, so the code under test shows its own sentence.
// Its own test (loopback-only.test.ts) tries both inside a network namespace with no route (unshare -n).
import dns from 'node:dns';
import dnsPromises from 'node:dns/promises';
import {syncBuiltinESMExports} from 'node:module';
import net from 'node:net';

const isLoopbackAddress = address =>
	net.isIPv4(address) ? address.startsWith('127.') : net.isIPv6(address) ? /^(::1|::ffff:127\.[\d.]+)$/i.test(address) : false;
const isLoopbackName = name => ['localhost', 'localhost.'].includes(String(name).toLowerCase()) || isLoopbackAddress(name);

function refused(code, what) {
	return Object.assign(new Error(`${code} ${what} (the test guard keeps every packet on loopback)`), {code, hostname: what});
}

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, options, callback) {
	const done = typeof options === 'function' ? options : callback;
	const bare = String(hostname).replace(/^\[|\]$/g, '');
	if (net.isIP(bare) || isLoopbackName(bare)) return lookup.call(this, hostname, options, callback);
	process.nextTick(() => done(refused('ENOTFOUND', hostname)));
	return {};
};
const lookupPromise = dnsPromises.lookup;
dnsPromises.lookup = async function guardedLookupPromise(hostname, options) {
	const bare = String(hostname).replace(/^\[|\]$/g, '');
	if (net.isIP(bare) || isLoopbackName(bare)) return lookupPromise.call(this, hostname, options);
	throw refused('ENOTFOUND', hostname);
};
for (const name of ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt']) {
	dnsPromises[name] = async hostname => {
		throw refused('ENOTFOUND', hostname);
	};
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
	const first = Array.isArray(args[0]) ? args[0][0] : args[0];
	const options =
		typeof first === 'object' && first !== null ? first : {port: first, host: typeof args[1] === 'string' ? args[1] : undefined};
	const host = options.path ? undefined : String(options.host ?? 'localhost').replace(/^\[|\]$/g, '');
	if (host !== undefined && net.isIP(host) && !isLoopbackAddress(host)) {
		process.nextTick(() => this.destroy(refused('ECONNREFUSED', host)));
		return this;
	}
	return connect.apply(this, args);
};

syncBuiltinESMExports();
