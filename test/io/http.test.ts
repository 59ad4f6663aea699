import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {TokscopeError} from '../../src/core/errors.js';
import {HttpFailure, formatBytes, httpRequest} from '../../src/io/http.js';

// Every server here listens on 127.0.0.1 and every loop is bounded: a hostile server must not outlive its test.
const servers: Server[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) {
		server.closeAllConnections();
		await new Promise(done => server.close(done));
	}
});

interface Served {
	url: string;
	/** Resolves when the client's connection to the server has closed. */
	closed: () => Promise<void>;
	connections: number;
}

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<Served> {
	const server = createServer(handler);
	servers.push(server);
	const sockets: Socket[] = [];
	const closing = (socket: Socket) => (socket.destroyed ? Promise.resolve() : new Promise(done => socket.once('close', done)));
	const served: Served = {url: '', connections: 0, closed: () => Promise.all(sockets.map(closing)).then(() => undefined)};
	server.on('connection', socket => {
		served.connections++;
		sockets.push(socket);
	});
	await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
	served.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return served;
}

async function failureOf(work: Promise<unknown>): Promise<HttpFailure> {
	const error = await work.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(HttpFailure);
	expect(error).toBeInstanceOf(TokscopeError);
	return error as HttpFailure;
}

/** A port nothing listens on: listen, note the port, close. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
	const {port} = server.address() as AddressInfo;
	await new Promise(done => server.close(done));
	return port;
}

describe('httpRequest', () => {
	it('returns status, headers and body, and sends a method, headers and a request body (what doctor will POST)', async () => {
		const served = await serve((request, response) => {
			let body = '';
			request.on('data', chunk => (body += chunk));
			request.on('end', () => {
				response.setHeader('x-echo-method', request.method ?? '');
				response.end(JSON.stringify({body, type: request.headers['content-type'], length: request.headers['content-length']}));
			});
		});
		const answer = await httpRequest(`${served.url}/echo`, {method: 'POST', headers: {'content-type': 'text/plain'}, body: 'héllo'});
		expect(answer.status).toBe(200);
		expect(answer.headers['x-echo-method']).toBe('POST');
		expect(JSON.parse(answer.body)).toEqual({body: 'héllo', type: 'text/plain', length: '6'});
	});

	it('follows no redirect: the caller sees the 302 and decides', async () => {
		const served = await serve((_, response) => {
			// Where a hostile server would send it: never dialled (no redirect is followed, and the test workers' loopback
			// guard would refuse it; that guard's own test runs under unshare -n).
			response.writeHead(302, {location: 'http://169.254.169.254/'});
			response.end();
		});
		const answer = await httpRequest(served.url);
		expect(answer.status).toBe(302);
		expect(served.connections).toBe(1);
	});

	it('fails at the overall deadline against a server that trickles 1 byte at a time, and hangs up on it', {tags: ['timing']}, async () => {
		const served = await serve((_, response) => {
			response.writeHead(200, {'content-type': 'application/json'});
			let sent = 0;
			// An idle timeout would never fire: a byte arrives every 50 ms. Bounded at 200 bytes (10 s) all the same.
			const timer = setInterval(() => (++sent > 200 ? clearInterval(timer) : response.write('{')), 50);
			response.on('close', () => clearInterval(timer));
		});
		const started = performance.now();
		const failure = await failureOf(httpRequest(served.url, {timeoutMs: 500, what: 'The issuer'}));
		expect(performance.now() - started).toBeLessThan(1500);
		expect(failure.code).toBe('timeout');
		expect(failure.message).toBe('The issuer did not finish its answer within 0.5 s.');
		await served.closed();
	});

	it('fails at the deadline against a server that never answers, and says it did not answer', async () => {
		const served = await serve(() => {});
		const failure = await failureOf(httpRequest(served.url, {timeoutMs: 300}));
		expect(failure.message).toBe(`${served.url} did not answer within 0.3 s.`);
		await served.closed();
	});

	it('stops reading an endless body at the limit with one sentence, and the server sees the connection closed', async () => {
		let written = 0;
		const served = await serve((_, response) => {
			response.writeHead(200);
			const chunk = Buffer.alloc(16 * 1024, 'a');
			// Bounded: at most 4,096 chunks (64 MiB) even if the client never hung up.
			const pump = () => {
				while (written < 4096 * chunk.length && !response.destroyed) {
					written += chunk.length;
					if (!response.write(chunk)) return void response.once('drain', pump);
				}
			};
			pump();
		});
		const failure = await failureOf(httpRequest(served.url, {maxBytes: 64 * 1024, what: 'The metadata server'}));
		expect(failure.code).toBe('too-big');
		expect(failure.message).toBe('The metadata server sent more than 64 KiB; reading stopped there.');
		await served.closed();
		expect(written).toBeLessThan(32 * 1024 * 1024);
	});

	it('refuses a body whose declared length is over the limit before reading it', async () => {
		const served = await serve((_, response) => {
			response.writeHead(200, {'content-length': String(10 * 1024 * 1024)});
			response.write('a');
		});
		const failure = await failureOf(httpRequest(served.url));
		expect(failure.message).toBe(`${served.url} sent more than 1 MiB; reading stopped there.`);
		await served.closed();
	});

	it('says a refused connection was refused, at once, not that it timed out', {tags: ['timing']}, async () => {
		const port = await closedPort();
		const started = performance.now();
		const failure = await failureOf(httpRequest(`http://127.0.0.1:${port}/certs`, {timeoutMs: 5000}));
		expect(performance.now() - started).toBeLessThan(2000);
		expect(failure.code).toBe('refused');
		expect(failure.message).toBe(`http://127.0.0.1:${port} refused the connection.`);
		expect(failure.message).not.toMatch(/within/);
	});

	it('says a connection closed mid-answer was closed', async () => {
		const served = await serve((_, response) => {
			response.writeHead(200, {'content-length': '100'});
			response.write('partial', () => response.socket?.destroy());
		});
		const failure = await failureOf(httpRequest(served.url));
		expect(failure.code).toBe('closed');
		expect(failure.message).toMatch(/closed the connection before its answer was complete\.$/);
	});

	it('refuses what is not a web address without sending anything', async () => {
		expect((await failureOf(httpRequest('file:///etc/passwd'))).message).toBe('file:///etc/passwd is not a web address (file:).');
		expect((await failureOf(httpRequest('not a url', {what: 'The issuer'}))).message).toBe('The issuer is not a URL.');
	});

	it('names sizes the way sentences do', () => {
		expect([formatBytes(1_048_576), formatBytes(65_536), formatBytes(300)]).toEqual(['1 MiB', '64 KiB', '300 bytes']);
	});
});
