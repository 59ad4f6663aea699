import type {IncomingMessage, ServerResponse} from 'node:http';
import {sendJson, sendText} from './http.js';

/** A failure the emulator plays instead of answering, for tests and the demo. */
export interface Fault {
	/** Answer with this status (and `body`, or a Google-style error body). */
	status?: number;
	/** An object is sent as JSON, a string as text; a function gets the request's path. */
	body?: unknown;
	headers?: Record<string, string>;
	/** Wait this long before answering (or before failing). */
	delayMs?: number;
	/** Destroy the connection without an answer. */
	drop?: boolean;
	/** Never answer: the connection stays open until the client gives up, the fault is healed or the emulator closes. */
	stall?: boolean;
	/** Only the next N matching requests fail; afterwards the fault clears itself. */
	times?: number;
	/**
	 * Only requests for this host name (their `Host`, without the port). A fault with a host is played before anything
	 * else answers, the protected services included: in real-names mode it replays a real answer at a product's own name
	 * (test/sealed/real-world.test.ts). A fault without one is played on the emulator's own endpoints only.
	 */
	host?: string;
}

/** Which requests a fault applies to: a string matches when the path (with its query) contains it. */
export type FaultMatch = string | RegExp;

interface Entry {
	match: FaultMatch;
	fault: Fault;
}

export class Faults {
	readonly #byMatch = new Map<string, Entry>();
	readonly #stalled = new Set<ServerResponse>();
	readonly #timers = new Set<NodeJS.Timeout>();

	set(match: FaultMatch, fault: Fault | null): void {
		const key = keyOf(match);
		if (fault) this.#byMatch.set(key, {match, fault: {...fault}});
		else this.#byMatch.delete(key);
	}

	clear(): void {
		this.#byMatch.clear();
	}

	/** The faults in force, for `tokscope emulator` and the demo to show. */
	list(): Array<{match: string; fault: Fault}> {
		return [...this.#byMatch.values()].map(({match, fault}) => ({match: keyOf(match), fault: {...fault}}));
	}

	/**
	 * Plays the fault matching this request, if any: of every fault (`'any'`, the emulator's own endpoints), or only of
	 * those naming its host (`'host'`, the protected services). Returns true when the request was handled (or swallowed).
	 */
	async play(request: IncomingMessage, response: ServerResponse, which: 'any' | 'host' = 'any'): Promise<boolean> {
		const path = request.url ?? '/';
		const pathname = path.split('?')[0] ?? path;
		const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
		const entry = [...this.#byMatch.entries()].find(
			([, {match, fault}]) =>
				(fault.host === undefined ? which === 'any' : fault.host.toLowerCase() === host) &&
				(typeof match === 'string' ? path.includes(match) : match.test(pathname)),
		);
		if (!entry) return false;
		const [key, {fault}] = entry;
		if (fault.times !== undefined) {
			fault.times -= 1;
			if (fault.times <= 0) this.#byMatch.delete(key);
		}
		if (fault.delayMs) await this.#sleep(fault.delayMs);
		if (fault.stall) {
			this.#stalled.add(response);
			response.on('close', () => this.#stalled.delete(response));
			return true;
		}
		if (fault.drop) {
			request.socket.destroy();
			return true;
		}
		if (fault.status) {
			const body = typeof fault.body === 'function' ? (fault.body as (path: string) => unknown)(pathname) : fault.body;
			if (typeof body === 'string') sendText(response, fault.status, body, fault.headers);
			else
				sendJson(
					response,
					fault.status,
					body ?? {error: {code: fault.status, message: `Injected fault for ${key}.`, status: 'INJECTED'}},
					fault.headers,
				);
			return true;
		}
		return false; // a pure delay: answer normally afterwards
	}

	/** Ends the requests held by a stall, so their clients see a broken connection and retry. */
	releaseStalled(): void {
		for (const response of this.#stalled) response.destroy();
		this.#stalled.clear();
	}

	/** Ends stalled requests and pending delays so the server can close. */
	release(): void {
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
		this.releaseStalled();
	}

	#sleep(ms: number): Promise<void> {
		return new Promise(resolve => {
			const timer = setTimeout(() => {
				this.#timers.delete(timer);
				resolve();
			}, ms);
			this.#timers.add(timer);
		});
	}
}

function keyOf(match: FaultMatch): string {
	return typeof match === 'string' ? match : match.toString();
}

/**
 * The body Google's endpoint answers with for this status, so an injected failure reads like a real one
 * (`tokscope emulator --fail PATH=STATUS`). IAM Credentials' 403 names the permission its method needs;
 * the token endpoint answers in OAuth's `{error, error_description}` shape.
 */
export function realisticFault(match: string, status: number): Fault {
	const oauth = match === '/token' || match === '/v1/token';
	if (oauth && status === 400) return {status, body: {error: 'invalid_grant', error_description: 'Token has been expired or revoked.'}};
	if (oauth && status === 401) return {status, body: {error: 'invalid_client', error_description: 'The OAuth client was not found.'}};
	if (status === 403 && match.includes(':generate')) return {status, body: iamPermissionDenied(match)};
	if (match.includes('computeMetadata') && status >= 500) return {status, body: (path: string) => `Could not fetch URI ${path}\n`};
	return {
		status,
		body: {
			error: {code: status, message: apiMessages[status] ?? `Injected failure (${status}).`, status: apiStatuses[status] ?? 'UNKNOWN'},
		},
	};
}

// The canonical google.rpc messages Google's JSON APIs answer with (https://cloud.google.com/apis/design/errors).
const apiStatuses: Record<number, string> = {
	400: 'INVALID_ARGUMENT',
	401: 'UNAUTHENTICATED',
	403: 'PERMISSION_DENIED',
	404: 'NOT_FOUND',
	429: 'RESOURCE_EXHAUSTED',
	500: 'INTERNAL',
	503: 'UNAVAILABLE',
	504: 'DEADLINE_EXCEEDED',
};
const apiMessages: Record<number, string> = {
	401:
		'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other ' +
		'valid authentication credential.',
	403: 'The caller does not have permission',
	429: 'Resource has been exhausted (e.g. check quota).',
	500: 'Internal error encountered.',
	503: 'The service is currently unavailable.',
};

/**
 * IAM Credentials' 403, word for word: "Permission 'iam.serviceAccounts.getOpenIdToken' denied on resource (or it may
 * not exist)." with an ErrorInfo naming the permission (quoted in spatie/laravel-google-cloud-storage#63 and
 * GoogleCloudPlatform/jit-groups#73's neighbours; the details shape is google.rpc.ErrorInfo).
 */
export function iamPermissionDenied(path: string): unknown {
	const permission = path.includes('generateIdToken') ? 'iam.serviceAccounts.getOpenIdToken' : 'iam.serviceAccounts.getAccessToken';
	return {
		error: {
			code: 403,
			message: `Permission '${permission}' denied on resource (or it may not exist).`,
			status: 'PERMISSION_DENIED',
			details: [
				{
					'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
					reason: 'IAM_PERMISSION_DENIED',
					domain: 'iam.googleapis.com',
					metadata: {permission},
				},
			],
		},
	};
}
