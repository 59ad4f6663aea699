import type {IncomingMessage, Server, ServerResponse} from 'node:http';
import type {Socket} from 'node:net';

/** Request bodies are small forms or JSON; anything larger is not a client we emulate. */
const maxBodyBytes = 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maxBodyBytes) throw new Error('request body too large');
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** Parses a form or JSON body the way Google's endpoints accept either. */
export function parseParams(body: string, contentType: string | undefined): Record<string, string> {
	if (contentType?.includes('application/json')) {
		try {
			const parsed = JSON.parse(body) as Record<string, unknown>;
			return Object.fromEntries(
				Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
			);
		} catch {
			return {};
		}
	}
	return Object.fromEntries(new URLSearchParams(body));
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers});
	response.end(text);
}

export function sendText(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers});
	response.end(body);
}

/** Google's OAuth endpoints answer errors as `{error, error_description}`. */
export function sendOAuthError(response: ServerResponse, status: number, error: string, description: string): void {
	sendJson(response, status, {error, error_description: description});
}

/** Google's JSON APIs (IAM Credentials, STS) answer errors as `{error: {code, message, status}}`. */
export function sendApiError(response: ServerResponse, code: number, message: string, status: string): void {
	sendJson(response, code, {error: {code, message, status}});
}

export function bearerToken(request: IncomingMessage): string | undefined {
	const header = request.headers.authorization;
	const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
	return match?.[1];
}

/**
 * Where a server listens: a port of 127.0.0.1, or a listening socket made elsewhere (the sealed test box makes its
 * sockets inside its own network namespace and hands them over).
 */
export type ListenTarget = {port: number} | {handle: object};

/**
 * Listens and keeps the server's connections, so closing it can end them: a client's keep-alive socket would
 * otherwise hold the server open.
 */
export async function listen(server: Server, target: ListenTarget): Promise<Set<Socket>> {
	const sockets = new Set<Socket>();
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		if ('handle' in target) server.listen(target.handle, () => resolve());
		else server.listen(target.port, '127.0.0.1', () => resolve());
	});
	return sockets;
}

/** Listens on 127.0.0.1, a free port unless one is named. */
export function listenOnLoopback(server: Server, port = 0): Promise<Set<Socket>> {
	return listen(server, {port});
}
