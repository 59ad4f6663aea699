import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';

// Hostile servers on 127.0.0.1 for every client tokscope has. Every loop here is bounded (a trickle stops after
// 200 bytes, an endless body after 256 MiB) so a client that fails to cut them off fails its test, not the machine.

export type Hostility =
	| {kind: 'trickle'}
	| {kind: 'endless'}
	| {kind: 'huge'}
	| {kind: 'garbage'; body: string; status?: number; type?: string}
	| {kind: 'redirect'; to: string; status?: number};

export interface HostileServer {
	url: string;
	host: string;
	/** Bytes the server managed to write before the client hung up. */
	sent(): number;
	/** Resolves once every connection a client opened has been closed (the client cut it off). */
	allClosed(): Promise<void>;
	requests: string[];
	close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => boolean;

/** Plays `hostility` on every request that `normal` (answering the harmless paths, e.g. a metadata probe) does not take. */
export async function hostileServer(hostility: Hostility, normal: Handler = () => false): Promise<HostileServer> {
	let sent = 0;
	const sockets: Socket[] = [];
	const requests: string[] = [];
	const timers = new Set<NodeJS.Timeout>();
	const server: Server = createServer((request, response) => {
		requests.push(`${request.method} ${request.url}`);
		request.resume();
		if (normal(request, response)) return;
		const flavour = {'metadata-flavor': 'Google'};
		switch (hostility.kind) {
			case 'trickle': {
				response.writeHead(200, {...flavour, 'content-type': 'application/json'});
				let left = 200;
				const timer = setInterval(() => {
					if (left-- <= 0 || response.destroyed) return clearInterval(timer);
					response.write('{');
					sent++;
				}, 100);
				timers.add(timer);
				break;
			}
			case 'endless': {
				response.writeHead(200, {...flavour, 'content-type': 'application/json'});
				const chunk = Buffer.alloc(64 * 1024, 'a');
				const pump = () => {
					while (!response.destroyed && sent < 256 * 1024 * 1024) {
						sent += chunk.length;
						if (!response.write(chunk)) return void response.once('drain', pump);
					}
				};
				pump();
				break;
			}
			case 'huge': {
				// Announces 50 MB and sends 2 MB of it: a client that trusts the length or reads it whole is caught either way.
				response.writeHead(200, {...flavour, 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024)});
				const body = Buffer.alloc(2 * 1024 * 1024, 'a');
				sent += body.length;
				response.write(body);
				break;
			}
			case 'garbage':
				response.writeHead(hostility.status ?? 200, {...flavour, 'content-type': hostility.type ?? 'text/html'});
				response.end(hostility.body);
				break;
			case 'redirect':
				response.writeHead(hostility.status ?? 302, {...flavour, location: hostility.to});
				response.end();
				break;
		}
	});
	server.on('connection', socket => sockets.push(socket));
	await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		host: `127.0.0.1:${port}`,
		sent: () => sent,
		requests,
		allClosed: () =>
			Promise.all(sockets.map(socket => (socket.destroyed ? Promise.resolve() : new Promise(done => socket.once('close', done))))).then(
				() => undefined,
			),
		close: async () => {
			for (const timer of timers) clearInterval(timer);
			server.closeAllConnections();
			await new Promise(done => server.close(done));
		},
	};
}

/** Answers a metadata probe (email, project) as a Google metadata server would, leaving the token paths hostile. */
export function metadataProbe(request: IncomingMessage, response: ServerResponse): boolean {
	const path = request.url ?? '';
	if (!/\/(email|project-id)$/.test(path)) return false;
	response.writeHead(200, {'metadata-flavor': 'Google', 'content-type': 'text/plain'});
	response.end(path.endsWith('email') ? 'sa@tokscope-demo.iam.gserviceaccount.com' : 'tokscope-demo');
	return true;
}

export interface Received {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}

/**
 * Where a redirect points: records everything it is sent (bounded: the first 64 KiB of each body) and answers what
 * every credential endpoint would accept as a token, so a client that follows the redirect is caught by the record
 * and by printing the stolen token.
 */
export async function recordingServer(): Promise<{url: string; received: Received[]; close(): Promise<void>}> {
	const received: Received[] = [];
	const stolenToken = 'ya29.stolen-by-the-redirected-to-host';
	const server = createServer((request, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => (body += body.length < 65_536 ? chunk.toString('utf8') : ''));
		request.on('end', () => {
			received.push({method: request.method ?? '', url: request.url ?? '', headers: request.headers, body});
			response.writeHead(200, {'content-type': 'application/json', 'metadata-flavor': 'Google'});
			response.end(JSON.stringify({access_token: stolenToken, expires_in: 3599, token_type: 'Bearer', accessToken: stolenToken}));
		});
	});
	await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		received,
		close: async () => {
			server.closeAllConnections();
			await new Promise(done => server.close(done));
		},
	};
}

/** Settles with what `work` rejected with (or fails the test when it resolved), and how long it took. */
export async function failure(work: Promise<unknown>): Promise<{error: Error; ms: number}> {
	const started = Date.now();
	const error = await work.then(
		value => new Error(`expected a failure, got ${JSON.stringify(value).slice(0, 200)}`),
		(caught: unknown) => caught as Error,
	);
	return {error, ms: Date.now() - started};
}
