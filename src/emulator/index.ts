import {createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse} from 'node:http';
import {createServer as createTlsServer} from 'node:https';
import type {AddressInfo, Socket} from 'node:net';
import {Authority, numericId, type AuthorityKeys} from './authority.js';
import {authorizationPaths, Authorizations, consentPath, handleAuthorize, handleConsent} from './authorize.js';
import {BreakIt, type Breakage, type BreakOptions} from './breakage.js';
import {Clock} from './clock.js';
import {writeCredentialFiles} from './credential-files.js';
import type {CredentialFiles} from './credential-paths.js';
import {Faults, type Fault, type FaultMatch} from './faults.js';
import {listen, listenOnLoopback, sendApiError, sendText, type ListenTarget} from './http.js';
import {handleIam} from './iam.js';
import {handleMetadata} from './metadata.js';
import {googleEndpoints, googleHostNames, loopbackEndpoints, type Endpoints} from './names.js';
import {handleDiscovery, handleJwks, handleSts, handleToken, handleTokenInfo, handleUserInfo, handleX509Certs} from './oauth.js';
import {startServices, type Services} from './services/index.js';
import type {EmulatorState} from './state.js';

export {googleEndpoints, googleHostNames, realServiceOrigins, type Endpoints} from './names.js';
export type {AuthorityKeys} from './authority.js';
export {makeAuthorityKeys} from './authority.js';
export type {CredentialFiles} from './credential-paths.js';
export type {Fault, FaultMatch} from './faults.js';
export {realisticFault} from './faults.js';
export type {Breakage, BreakageKind, BreakOptions} from './breakage.js';
export {breakageCatalog} from './breakage.js';
export type {ProtectedService, ServiceGuide, ServiceKind, Services} from './services/index.js';
export {serviceGuide} from './services/index.js';

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
	/** Its RSA keys (default: two made now, off the main thread). Requests wait for them; the servers listen at once. */
	keys?: Promise<AuthorityKeys>;
	/**
	 * Answer at Google's own names, as inside the sealed test box: HTTPS for every Google host and protected service,
	 * routed by `Host`, and the metadata server over plain HTTP, each on the listening target given (the box hands in
	 * sockets made inside its network namespace). Tokens are then issued by https://accounts.google.com.
	 */
	realNames?: RealNames;
}

export interface RealNames {
	https: ListenTarget;
	metadata: ListenTarget;
	/** The PEM key and certificate (signed by the box's CA) the HTTPS listener presents for every name it serves. */
	tls: {key: string; cert: string};
}

export interface Emulator {
	/** http://127.0.0.1:PORT, also the `iss` of its ID tokens (https://accounts.google.com in real-names mode). */
	url: string;
	/** 127.0.0.1:PORT, for GCE_METADATA_HOST and gcloud's GCE_METADATA_ROOT (metadata.google.internal in real-names mode). */
	host: string;
	/** Where each endpoint is reached. */
	endpoints: Endpoints;
	projectId: string;
	serviceAccountEmail: string;
	userEmail: string;
	/** The OAuth client users sign in with (in the oauth-client file). */
	oauthClient: {id: string; secret: string};
	/** gcloud's application-default client, whose refresh token the authorized-user file holds. */
	gcloudClient: {id: string; secret: string};
	/**
	 * Settles once its keys are made. Nobody needs to wait for it: requests do by themselves, and so does
	 * `writeCredentialFiles` (its key file holds one); the demo draws its first frame meanwhile.
	 */
	ready: Promise<void>;
	/** The protected services, each on its own loopback origin (absent with `services: false`). */
	services: Services;
	setTokenLifetime(seconds: number): void;
	/**
	 * Fail requests whose path (with query) contains `match` (e.g. '/token', ':generateIdToken'), or whose path matches
	 * a RegExp; null removes it. See `realisticFault(match, status)` for a body as Google words it. A fault naming a
	 * `host` answers for that host alone, ahead of the protected services: a real answer replayed at its product's name.
	 */
	setFault(match: FaultMatch, fault: Fault | null): void;
	clearFaults(): void;
	/** The faults in force. */
	faults(): Array<{match: string; fault: Fault}>;
	/**
	 * Plays a workload identity provider (the JSON of `gcloud iam workload-identity-pools providers describe
	 * --format=json`): STS then applies its issuer, audiences, attribute mapping and condition. null: any token goes.
	 */
	setWorkloadProvider(provider: Record<string, unknown> | null): Promise<void>;
	/** Plays a service account's IAM policy: a federated principal then mints for it only as a member that matches. */
	setServiceAccountPolicy(serviceAccount: string, policy: Record<string, unknown> | null): Promise<void>;
	/** Domain-wide delegation as the Admin console lists it: this client ID may ask for these scopes as a user; null removes it. */
	authoriseDelegation(clientId: string, scopes: string[] | null): void;
	/** A service account's client ID (its unique ID), as its key file and the Admin console name it. */
	clientIdOf(serviceAccount: string): string;
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
	// In real-names mode the services share the HTTPS listener: a request is theirs when its Host is theirs.
	let serviceAt: (host: string | undefined) => ServiceAnswer | undefined = () => undefined;

	const listener =
		(answer: Route): RequestListener =>
		(request, response) => {
			// Every answer says the emulator's time, skewed or not, as Google's front ends always send Date.
			response.setHeader('Date', clock.httpDate());
			requests.push({method: request.method ?? 'GET', path: request.url ?? '/', at: new Date()});
			if (requests.length > maxLoggedRequests) requests.shift();
			const service = serviceAt(request.headers.host);
			// The servers listen at once; requests wait for the keys (made off the main thread).
			state!.authority.ready
				.then(() => (service ? service(request, response) : answer(state!, faults, request, response)))
				.catch(() => {
					if (!response.headersSent) sendApiError(response, 500, 'Internal error encountered.', 'INTERNAL');
					else response.destroy();
				});
		};
	const real = options.realNames;
	const servers: Array<{server: Server; sockets: Set<Socket>}> = [];
	let endpoints: Endpoints;
	if (real) {
		const tls = createTlsServer({key: real.tls.key, cert: real.tls.cert}, listener(route));
		// The metadata server answers only its own paths at its own address, as 169.254.169.254 does.
		const metadata = createServer(listener(routeMetadata));
		servers.push({server: tls, sockets: await listen(tls, real.https)}, {server: metadata, sockets: await listen(metadata, real.metadata)});
		endpoints = googleEndpoints;
	} else {
		const server = createServer(listener(route));
		servers.push({server, sockets: await listenOnLoopback(server, options.port)});
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		endpoints = loopbackEndpoints(url, url.slice('http://'.length));
	}
	const url = endpoints.issuer;
	const userEmail = 'demo-user@example.com';
	const authority = new Authority(url, options.tokenLifetimeSeconds ?? 3600, clock, userEmail, options.keys);
	state = {
		endpoints,
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
		signedFor: new Set(),
		delegation: new Map(),
	};
	const ready = state;
	const breakIt = new BreakIt(faults, authority, clock);
	// A real answer replayed at a product's own name (a fault naming its host) comes before the stand-in.
	const replay = (request: IncomingMessage, response: ServerResponse) => faults.play(request, response, 'host');
	const stand = options.services === false ? undefined : await startServices(ready, real ? 'real-names' : 'loopback', replay);
	if (stand) serviceAt = stand.answerFor;

	return {
		url,
		host: endpoints.metadataHost,
		endpoints,
		projectId,
		serviceAccountEmail: ready.serviceAccountEmail,
		userEmail: ready.userEmail,
		oauthClient: {...authority.oauthClient},
		gcloudClient: {...authority.gcloudClient},
		ready: authority.ready,
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
		setWorkloadProvider: async provider => (await federationOf(ready)).setProvider(provider),
		setServiceAccountPolicy: async (serviceAccount, policy) => (await federationOf(ready)).setPolicy(serviceAccount, policy),
		authoriseDelegation: (clientId, scopes) => (scopes ? ready.delegation.set(clientId, scopes) : ready.delegation.delete(clientId)),
		clientIdOf: serviceAccount => numericId(serviceAccount),
		breakIt: (breakage, breakOptions) => breakIt.apply(breakage, breakOptions),
		heal: () => breakIt.heal(),
		broken: () => breakIt.active(),
		get clockSkewSeconds() {
			return clock.skewSeconds;
		},
		writeCredentialFiles: dir => writeCredentialFiles(ready, dir),
		close: async () => {
			await stand?.close();
			faults.release();
			await Promise.all(
				servers.map(
					({server, sockets}) =>
						new Promise<void>(resolve => {
							for (const socket of sockets) socket.destroy();
							server.close(() => resolve());
						}),
				),
			);
		},
	};
}

/** Federation's rules, made on first use: the demo never loads the CEL evaluator unless a provider is played. */
async function federationOf(state: EmulatorState) {
	return (state.federation ??= new (await import('./federation.js')).Federation());
}

type Route = (state: EmulatorState, faults: Faults, request: IncomingMessage, response: ServerResponse) => Promise<void>;
type ServiceAnswer = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

const isMetadataPath = (path: string) => path === '/' || path.startsWith('/computeMetadata');

/** Every endpoint by its path: the loopback emulator serves them all on one origin. */
async function route(state: EmulatorState, faults: Faults, request: IncomingMessage, response: ServerResponse): Promise<void> {
	if (await faults.play(request, response)) return;
	const url = new URL(request.url ?? '/', 'http://emulator.invalid');
	const path = url.pathname;
	if (isMetadataPath(path) && !isGoogleHttpsHost(request.headers.host)) return handleMetadata(state, request, response, url);
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

/** The metadata server alone, at 169.254.169.254:80 in real-names mode. */
async function routeMetadata(state: EmulatorState, faults: Faults, request: IncomingMessage, response: ServerResponse): Promise<void> {
	if (await faults.play(request, response)) return;
	const url = new URL(request.url ?? '/', 'http://emulator.invalid');
	if (isMetadataPath(url.pathname)) return handleMetadata(state, request, response, url);
	sendText(response, 404, 'Not Found\n', {'Metadata-Flavor': 'Google'});
}

/** A Google host reached over HTTPS never serves metadata paths, as in real life. */
function isGoogleHttpsHost(host: string | undefined): boolean {
	return (googleHostNames as readonly string[]).includes((host ?? '').replace(/:\d+$/, '').toLowerCase());
}
