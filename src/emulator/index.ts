import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {Authority} from './authority.js';
import {authorizationPaths, Authorizations, consentPath, handleAuthorize, handleConsent} from './authorize.js';
import {BreakIt, type Breakage, type BreakOptions} from './breakage.js';
import {Clock} from './clock.js';
import {writeCredentialFiles, type CredentialFiles} from './credential-files.js';
import {Faults, type Fault, type FaultMatch} from './faults.js';
import {listenOnLoopback, sendApiError} from './http.js';
import {handleIam} from './iam.js';
import {handleMetadata} from './metadata.js';
import {handleDiscovery, handleJwks, handleSts, handleToken, handleTokenInfo, handleUserInfo, handleX509Certs} from './oauth.js';
import {startServices, type Services} from './services/index.js';
import type {EmulatorState} from './state.js';

export type {CredentialFiles} from './credential-files.js';
export type {Fault, FaultMatch} from './faults.js';
export {realisticFault} from './faults.js';
export type {Breakage, BreakageKind, BreakOptions} from './breakage.js';
export {breakageCatalog} from './breakage.js';
export type {ProtectedService, ServiceKind, Services} from './services/index.js';

export interface EmulatorOptions {
	/** 0 or unset: a free port. */
	port?: number;
	/** Lifetime of every token it issues; Google's is 3600. */
	tokenLifetimeSeconds?: number;
	projectId?: string;
	serviceAccountEmail?: string;
	/**
	 * The longest lifetime generateAccessToken grants: 3600 (Google's default), or up to 43200 to play an organisation whose
	 * policy constraints/iam.allowServiceAccountCredentialLifetimeExtension lists the service account.
	 */
	maxAccessTokenLifetimeSeconds?: number;
	/** Start the stand-ins for Cloud Run, Cloud Functions, IAP, API Gateway, a Google API and a public service (default true). */
	services?: boolean;
}

export interface Emulator {
	/** http://127.0.0.1:PORT, also the `iss` of its ID tokens. */
	url: string;
	/** 127.0.0.1:PORT, for GCE_METADATA_HOST and gcloud's GCE_METADATA_ROOT. */
	host: string;
	projectId: string;
	serviceAccountEmail: string;
	userEmail: string;
	/** The OAuth client users sign in with (also in the authorized-user and oauth-client files). */
	oauthClient: {id: string; secret: string};
	/** The protected services, each on its own loopback origin (absent with `services: false`). */
	services: Services;
	setTokenLifetime(seconds: number): void;
	/**
	 * Fail requests whose path (with query) contains `match` (e.g. '/token', ':generateIdToken'), or whose path matches
	 * a RegExp; null removes it. See `realisticFault(match, status)` for a body as Google words it.
	 */
	setFault(match: FaultMatch, fault: Fault | null): void;
	clearFaults(): void;
	/** The faults in force. */
	faults(): Array<{match: string; fault: Fault}>;
	/** Break the next requests as the demo's menu does (see `breakageCatalog`); `heal()` undoes every breakage and fault. */
	breakIt(breakage: Breakage, options?: BreakOptions): void;
	heal(): void;
	broken(): Breakage[];
	/** Seconds the emulator's clock runs ahead of this machine's (set by the clock-skew breakage). */
	readonly clockSkewSeconds: number;
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
	const clock = new Clock();
	const requests: Emulator['requests'] = [];
	let state: EmulatorState | undefined;

	const server = createServer((request, response) => {
		// Every answer says the emulator's time, skewed or not, as Google's front ends always send Date.
		response.setHeader('Date', clock.httpDate());
		requests.push({method: request.method ?? 'GET', path: request.url ?? '/', at: new Date()});
		if (requests.length > maxLoggedRequests) requests.shift();
		route(state!, faults, request, response).catch(() => {
			if (!response.headersSent) sendApiError(response, 500, 'Internal error encountered.', 'INTERNAL');
			else response.destroy();
		});
	});
	const sockets = await listenOnLoopback(server, options.port);
	const {port} = server.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}`;
	const userEmail = 'demo-user@example.com';
	const authority = new Authority(url, options.tokenLifetimeSeconds ?? 3600, clock, userEmail);
	state = {
		url,
		authority,
		clock,
		authorizations: new Authorizations(),
		projectId,
		projectNumber: '123456789012',
		zone: 'us-central1-a',
		serviceAccountEmail: options.serviceAccountEmail ?? `tokscope-demo@${projectId}.iam.gserviceaccount.com`,
		userEmail,
		defaultScopes: ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/userinfo.email'],
		maxAccessTokenLifetimeSeconds: options.maxAccessTokenLifetimeSeconds ?? 3600,
	};
	const ready = state;
	const breakIt = new BreakIt(faults, authority, clock);
	const stand = options.services === false ? undefined : await startServices(ready);

	return {
		url,
		host: `127.0.0.1:${port}`,
		projectId,
		serviceAccountEmail: ready.serviceAccountEmail,
		userEmail: ready.userEmail,
		oauthClient: {...authority.oauthClient},
		get services(): Services {
			if (!stand) throw new Error('this emulator was started with services: false');
			return stand.services;
		},
		requests,
		setTokenLifetime: seconds => {
			ready.authority.tokenLifetimeSeconds = seconds;
		},
		setFault: (match, fault) => faults.set(match, fault),
		clearFaults: () => faults.clear(),
		faults: () => faults.list(),
		breakIt: (breakage, breakOptions) => breakIt.apply(breakage, breakOptions),
		heal: () => breakIt.heal(),
		broken: () => breakIt.active(),
		get clockSkewSeconds() {
			return clock.skewSeconds;
		},
		writeCredentialFiles: dir => writeCredentialFiles(ready, dir),
		close: async () => {
			await stand?.close();
			await new Promise<void>(resolve => {
				faults.release();
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			});
		},
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
	if (path === '/oauth2/v1/certs') return handleX509Certs(state, response);
	if (authorizationPaths.includes(path) && request.method === 'GET') return handleAuthorize(state, response, url);
	if (path === consentPath && request.method === 'POST') return handleConsent(state, request, response);
	if (path === '/v1/userinfo' || path === '/oauth2/v3/userinfo') return handleUserInfo(state, request, response);
	if (path.startsWith('/v1/projects/')) return handleIam(state, request, response, url);
	sendApiError(response, 404, `The requested URL ${path} was not found on this server.`, 'NOT_FOUND');
}
