import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {discoverKeySet} from '../../src/verify/discovery.js';

// Hostile issuers on 127.0.0.1 (loopback is the one place plain http is allowed, as for the emulator).
const servers: Server[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) {
		server.closeAllConnections();
		await new Promise(done => server.close(done));
	}
});

async function issuer(handler: Parameters<typeof createServer>[1]): Promise<string> {
	const server = createServer(handler);
	servers.push(server);
	await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('discoverKeySet', () => {
	it('says the issuer refused the connection, at once, rather than that it could not answer within 5 s', {tags: ['timing']}, async () => {
		const gone = await issuer(() => {});
		const closed = servers.pop()!;
		await new Promise(done => closed.close(done));
		const started = performance.now();
		const reason = await discoverKeySet(gone, 5000);
		expect(performance.now() - started).toBeLessThan(2000);
		expect(reason).toBe(
			`The issuer’s OpenID discovery document could not be fetched (${gone} refused the connection), so its keys are unknown.`,
		);
	});

	it('stops reading an endless discovery document at 1 MiB and says so', async () => {
		const url = await issuer((_, response) => {
			response.writeHead(200, {'content-type': 'application/json'});
			response.write('{"jwks_uri": "');
			const chunk = 'a'.repeat(64 * 1024);
			let sent = 0;
			// Bounded: 64 chunks (4 MiB) at most.
			const pump = () => {
				while (sent++ < 64 && !response.destroyed) if (!response.write(chunk)) return void response.once('drain', pump);
			};
			pump();
		});
		expect(await discoverKeySet(url, 5000)).toBe(
			`The issuer’s OpenID discovery document could not be fetched (${url} sent more than 1 MiB; reading stopped ` +
				`there), so its keys are unknown.`,
		);
	});

	it('gives up on an issuer that trickles its discovery document, at the deadline', {tags: ['timing']}, async () => {
		const url = await issuer((_, response) => {
			response.writeHead(200);
			let sent = 0;
			const timer = setInterval(() => (++sent > 100 ? clearInterval(timer) : response.write(' ')), 50);
			response.on('close', () => clearInterval(timer));
		});
		const started = performance.now();
		expect(await discoverKeySet(url, 400)).toBe(
			`The issuer’s OpenID discovery document could not be fetched (${url} did not finish its answer within 0.4 s), ` +
				'so its keys are unknown.',
		);
		expect(performance.now() - started).toBeLessThan(1500);
	});

	it('reads a discovery document nested absurdly deep without crashing', async () => {
		const url = await issuer((_, response) => response.end(`{"extra": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`));
		expect(await discoverKeySet(url, 5000)).toBe('The issuer’s discovery document names no jwks_uri.');
	});
});
