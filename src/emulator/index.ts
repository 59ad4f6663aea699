import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {Authority} from './authority.js';
import {writeCredentialFiles, type CredentialFiles} from './credential-files.js';
import {Faults, type Fault} from './faults.js';
import {sendApiError} from './http.js';
import {handleIam} from './iam.js';
import {handleMetadata} from './metadata.js';
import {handleDiscovery, handleJwks, handleSts, handleToken, handleTokenInfo} from './oauth.js';
import type {EmulatorState} from './state.js';

export type {CredentialFiles} from './credential-files.js';
export type {Fault} from './faults.js';

export interface EmulatorOptions {
	/** 0 or unset: a free port. */
	port?: number;
	/** Lifetime of every token it issues; Google's is 3600. */
	tokenLifetimeSeconds?: number;
	projectId?: string;
	serviceAccountEmail?: string;
}

export interface Emulator {
	/** http://127.0.0.1:PORT, also the `iss` of its ID tokens. */
	url: string;
	/** 127.0.0.1:PORT, for GCE_METADATA_HOST and gcloud's GCE_METADATA_ROOT. */
	host: string;
	projectId: string;
	serviceAccountEmail: string;
	userEmail: string;
	setTokenLifetime(seconds: number): void;
	/** Fail requests whose path contains `match` (e.g. '/token', ':generateIdToken'); null removes it. */
	setFault(match: string, fault: Fault | null): void;
	clearFaults(): void;
	/** What was asked, newest last (bounded). */
	requests: Array<{method: string; path: string; at: Date}>;
	writeCredentialFiles(dir: string): Promise<CredentialFiles>;
	close(): Promise<void>;
}

const maxLoggedRequests = 1000;

/** A local stand-in for Google's metadata server, OAuth, STS, IAM Credentials, tokeninfo and OIDC discovery. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const projectId = options.projectId ?? 'tokscope-demo';
	const faults = new Faults();
	const requests: Emulator['requests'] = [];
	const sockets = new Set<Socket>();
	let state: EmulatorState | undefined;

	const server = createServer((request, response) => {
		requests.push({method: request.method ?? 'GET', path: request.url ?? '/', at: new Date()});
		if (requests.length > maxLoggedRequests) requests.shift();
		route(state!, faults, request, response).catch(() => {
			if (!response.headersSent) sendApiError(response, 500, 'Internal error encountered.', 'INTERNAL');
			else response.destroy();
		});
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const {port} = server.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}`;
	state = {
		url,
		authority: new Authority(url, options.tokenLifetimeSeconds ?? 3600),
		projectId,
		projectNumber: '123456789012',
		zone: 'us-central1-a',
		serviceAccountEmail: options.serviceAccountEmail ?? `tokscope-demo@${projectId}.iam.gserviceaccount.com`,
		userEmail: 'demo-user@example.com',
		defaultScopes: ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/userinfo.email'],
	};
	const ready = state;

	return {
		url,
		host: `127.0.0.1:${port}`,
		projectId,
		serviceAccountEmail: ready.serviceAccountEmail,
		userEmail: ready.userEmail,
		requests,
		setTokenLifetime: seconds => {
			ready.authority.tokenLifetimeSeconds = seconds;
		},
		setFault: (match, fault) => faults.set(match, fault),
		clearFaults: () => faults.clear(),
		writeCredentialFiles: dir => writeCredentialFiles(ready, dir),
		close: () =>
			new Promise<void>(resolve => {
				faults.release();
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

async function route(state: EmulatorState, faults: Faults, request: IncomingMessage, response: ServerResponse): Promise<void> {
	if (await faults.play(request, response)) return;
	const url = new URL(request.url ?? '/', state.url);
	const path = url.pathname;
	if (path === '/' || path.startsWith('/computeMetadata')) return handleMetadata(state, request, response, url);
	if (path === '/token' && request.method === 'POST') return handleToken(state, request, response);
	if (path === '/v1/token' && request.method === 'POST') return handleSts(state, request, response);
	if (path === '/tokeninfo' || path === '/oauth2/v3/tokeninfo') return handleTokenInfo(state, request, response, url);
	if (path === '/.well-known/openid-configuration') return handleDiscovery(state, response);
	if (path === '/oauth2/v3/certs') return handleJwks(state, response);
	if (path.startsWith('/v1/projects/')) return handleIam(state, request, response, url);
	sendApiError(response, 404, `The requested URL ${path} was not found on this server.`, 'NOT_FOUND');
}
