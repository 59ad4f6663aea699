import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {impersonationTarget} from '../credential-paths.js';
import {listenOnLoopback} from '../http.js';
import {realServiceOrigins} from '../names.js';
import type {EmulatorState} from '../state.js';
import {answerApiGateway} from './api-gateway.js';
import {memberEmail, presentedToken} from './bearer.js';
import {answerCloudFunction, answerCloudRun} from './cloud-run.js';
import {send, type ServiceKind, type ServiceRequest, type ServiceSettings} from './context.js';
import {answerGoogleApi} from './google-api.js';
import {answerIap} from './iap.js';
import {answerPublic} from './public.js';

export type {ServiceKind} from './context.js';

/** One stand-in for a service behind Google's front door, on its own loopback origin. */
export interface ProtectedService {
	readonly kind: ServiceKind;
	/** The URL to call. */
	readonly url: string;
	/** http://127.0.0.1:PORT */
	readonly origin: string;
	/**
	 * The audience an ID token for it must carry: the origin (Cloud Run), the full function URL (Cloud Functions), the
	 * OAuth client ID (IAP), the gateway URL (API Gateway); undefined where an access token (Google API) or nothing
	 * (public) is wanted.
	 */
	readonly audience: string | undefined;
	/** Every accepted audience: `audience`, then Cloud Run's origin with a slash, then custom audiences added. */
	readonly audiences: readonly string[];
	/** Emails holding the invoker role (for the Google API: a role on the project). Empty for API Gateway and public. */
	readonly invokers: readonly string[];
	/** Grants the invoker role: `serviceAccount:EMAIL`, `user:EMAIL` or a bare email. */
	allow(member: string): void;
	deny(member: string): void;
	/** Accepts another `aud`, as `gcloud run services update --add-custom-audiences` does. */
	addAudience(audience: string): void;
	removeAudience(audience: string): void;
}

export interface Services {
	cloudRun: ProtectedService;
	cloudFunction: ProtectedService;
	iap: ProtectedService;
	apiGateway: ProtectedService;
	googleApi: ProtectedService;
	publicService: ProtectedService;
}

/** One line of the emulator's service list: the product it stands in for, the URL to call, and the token it wants. */
export interface ServiceGuide {
	label: string;
	url: string;
	wants: string;
}

/** What `tokscope emulator` and the demo's pane list: every stand-in, with the token (and audience) it accepts. */
export function serviceGuide(services: Services): ServiceGuide[] {
	const {cloudRun, cloudFunction, iap, apiGateway, googleApi, publicService} = services;
	return [
		{label: 'Cloud Run', url: cloudRun.url, wants: `ID token, audience ${cloudRun.audience}`},
		{label: 'Cloud Functions', url: cloudFunction.url, wants: `ID token, audience ${cloudFunction.audience}`},
		{label: 'IAP', url: iap.url, wants: `ID token with email, audience ${iap.audience}`},
		{label: 'API Gateway', url: apiGateway.url, wants: `ID token, audience ${apiGateway.audience}`},
		{label: 'Google API', url: googleApi.url, wants: 'access token'},
		{label: 'Public', url: publicService.url, wants: 'no token needed'},
	];
}

const handlers: Record<ServiceKind, (request: ServiceRequest) => void> = {
	'cloud-run': answerCloudRun,
	'cloud-functions': answerCloudFunction,
	iap: answerIap,
	'api-gateway': answerApiGateway,
	'google-api': answerGoogleApi,
	public: answerPublic,
};

type Answer = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * Starts every stand-in: each on its own free port of 127.0.0.1, or (`real-names`) at its sample address of
 * `realServiceOrigins`, answered through the emulator's HTTPS listener for the host `answerFor` recognises. `replay`
 * answers first when it can (a fault naming the request's host), as the real answer of a fixture.
 */
export async function startServices(
	state: EmulatorState,
	names: 'loopback' | 'real-names' = 'loopback',
	replay: (request: IncomingMessage, response: ServerResponse) => Promise<boolean> = async () => false,
): Promise<{services: Services; answerFor: (host: string | undefined) => Answer | undefined; close: () => Promise<void>}> {
	const started: Array<{server: Server; sockets: Set<Socket>}> = [];
	const byHost = new Map<string, Answer>();
	const start = async (kind: ServiceKind, shape: (origin: string) => {url: string; audiences: string[]; invokers: string[]}) => {
		let settings: ServiceSettings | undefined;
		const answer: Answer = async (request, response) => {
			response.setHeader('Date', state.clock.httpDate());
			await state.authority.ready;
			if (await replay(request, response)) return;
			const url = new URL(request.url ?? '/', settings!.origin);
			const presented = await presentedToken(request, state.authority);
			handlers[kind]({request, response, url, presented, settings: settings!, state});
		};
		let origin = realServiceOrigins[kind];
		if (names === 'real-names') byHost.set(new URL(origin).host, answer);
		else {
			const server = createServer((request, response) => {
				answer(request, response).catch(() => {
					if (!response.headersSent) send(response, 500, 'Internal error\n', {'Content-Type': 'text/plain'});
					else response.destroy();
				});
			});
			started.push({server, sockets: await listenOnLoopback(server)});
			origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		}
		const {url, audiences, invokers} = shape(origin);
		settings = {kind, url, origin, audiences, invokers: new Set(invokers.map(memberEmail))};
		return service(settings);
	};

	const callers = [state.serviceAccountEmail, impersonationTarget(state)];
	const services: Services = {
		cloudRun: await start('cloud-run', origin => ({url: origin, audiences: [origin, `${origin}/`], invokers: callers})),
		cloudFunction: await start('cloud-functions', origin => ({url: `${origin}/hello`, audiences: [`${origin}/hello`], invokers: callers})),
		iap: await start('iap', () => ({url: '', audiences: [iapClientId(state)], invokers: [...callers, state.userEmail]})),
		apiGateway: await start('api-gateway', origin => ({url: origin, audiences: [origin], invokers: []})),
		googleApi: await start('google-api', origin => ({
			url: `${origin}/v1/projects/${state.projectId}`,
			audiences: [],
			invokers: [...callers, state.userEmail],
		})),
		publicService: await start('public', origin => ({url: origin, audiences: [], invokers: []})),
	};
	return {
		services,
		answerFor: host => byHost.get((host ?? '').toLowerCase().replace(/:443$/, '')),
		close: async () => {
			await Promise.all(
				started.map(
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

/** The OAuth client IAP uses for this app, a different client from the one users sign in with. */
function iapClientId(state: EmulatorState): string {
	return `${state.projectNumber}-iap0emulator0programmatic.apps.googleusercontent.com`;
}

function service(settings: ServiceSettings): ProtectedService {
	if (settings.kind === 'iap') settings.url = settings.origin;
	return {
		kind: settings.kind,
		url: settings.url,
		origin: settings.origin,
		get audience() {
			return settings.audiences[0];
		},
		get audiences() {
			return [...settings.audiences];
		},
		get invokers() {
			return [...settings.invokers];
		},
		allow: member => void settings.invokers.add(memberEmail(member)),
		deny: member => void settings.invokers.delete(memberEmail(member)),
		addAudience: audience => {
			if (!settings.audiences.includes(audience)) settings.audiences.push(audience);
		},
		removeAudience: audience => {
			settings.audiences = settings.audiences.filter(value => value !== audience);
		},
	};
}
