import {execFile} from 'node:child_process';
import {resolve} from 'node:path';
import {promisify} from 'node:util';
import {expect, it} from 'vitest';
import {loopbackOnly} from './cli.js';

const run = promisify(execFile);

// The guard every test runs under. It is tried inside a network namespace of its own (unshare -n, no route anywhere),
// so even a guard that failed would send nothing off this machine.
const probe = `
const dns = await import('node:dns/promises');
const net = await import('node:net');
const lookedUp = await dns.lookup('tokscope-guard-check.example').then(() => 'resolved', error => error.code + ' ' + error.message);
const dialled = await new Promise(done => {
	const socket = net.connect({host: '192.0.2.1', port: 443});
	socket.on('connect', () => done('connected'));
	socket.on('error', error => done(error.code + ' ' + error.message));
});
console.log(JSON.stringify({lookedUp, dialled}));
`;

it('keeps a test from looking up a name or dialling an address off loopback, with the errors a missing host gives', async context => {
	const unshare = await run('unshare', ['-n', 'true']).then(
		() => true,
		() => false,
	);
	if (!unshare) return context.skip('unshare -n is not available here (it needs root or user namespaces)');
	const {stdout} = await run('unshare', ['-n', process.execPath, loopbackOnly, '--input-type=module', '-e', probe], {cwd: resolve('.')});
	const {lookedUp, dialled} = JSON.parse(stdout) as {lookedUp: string; dialled: string};
	expect(lookedUp).toMatch(/^ENOTFOUND .*the test guard keeps every packet on loopback/);
	expect(dialled).toMatch(/^ECONNREFUSED .*the test guard keeps every packet on loopback/);
});
