import {createServer, type Server} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {TokscopeError} from '../core/errors.js';
import {listenAddress} from '../core/hosts.js';
import {parseAnswer, type Answer} from './login-answer.js';
import type {OAuthClientFile} from './login-client.js';

// Where the browser comes back to on this machine (RFC 8252 §7.3): a server on the loopback address the client file
// names, for one answer; a finished sign-in closes it, idle browser connections and all.

export interface Loopback {
	redirectUri: string;
	close(): void;
}

/** The one-shot server the browser is sent back to: it answers the first request that carries a code or an error. */
export async function listen(client: OAuthClientFile, receive: (answer: Answer) => {ok: boolean; page: string}): Promise<Loopback> {
	const sockets = new Set<Socket>();
	/** Sockets in the middle of an answer: they close once it is sent (Connection: close), not before. */
	const busy = new Set<Socket>();
	const {host, port, path} = client.redirect;
	let server: Server;
	const close = () => {
		server.close();
		// Browsers keep idle connections open; the server must not wait for them.
		for (const socket of sockets) if (!busy.has(socket)) socket.destroy();
	};
	server = createServer((request, response) => {
		busy.add(request.socket);
		response.on('close', () => busy.delete(request.socket));
		const url = new URL(request.url ?? '/', 'http://loopback');
		const params = url.searchParams;
		if (request.method !== 'GET' || url.pathname !== path || !(params.has('code') || params.has('error'))) {
			response.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8'}).end('Not found.\n');
			return;
		}
		const answer = parseAnswer(`?${url.searchParams.toString()}`);
		const {ok, page} = answer ? receive(answer) : {ok: false, page: 'That answer could not be read.'};
		const body = `<!doctype html>\n<html><head><meta charset="utf-8"><title>tokscope</title></head><body><p>${page}</p></body></html>\n`;
		const headers = {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close'};
		response.writeHead(ok ? 200 : 400, headers);
		response.end(body);
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	const bind = listenAddress(host);
	await new Promise<void>((done, failed) => {
		server.once('error', (error: NodeJS.ErrnoException) =>
			failed(
				new TokscopeError(
					'listen-failed',
					error.code === 'EADDRINUSE'
						? `Port ${port} on ${host}, where the client file sends the browser back, is in use by another program.`
						: `tokscope could not listen on ${host} for the browser's answer (${error.code ?? error.message}).`,
				),
			),
		);
		server.listen(port, bind, () => done());
	});
	// A sign-in must never keep a finished command alive.
	server.unref();
	const bound = (server.address() as AddressInfo).port;
	return {redirectUri: `http://${host}:${bound}${path}`, close};
}
