import type {ErrorCode} from '../../core/errors.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import type {EndpointFailure} from '../errors.js';

// What google-auth-library and gaxios throw, read once into our own shape: the status and OAuth error of an answer,
// the system code of a failed connection, node-fetch's body limit. Nothing else reads the library's error objects.

interface GaxiosLike {
	code?: string | number;
	status?: number;
	message?: string;
	type?: unknown;
	/** gaxios's answer carries fetch's Headers. */
	response?: {status?: number; data?: unknown; headers?: {get?(name: string): string | null}};
	config?: {url?: unknown};
	cause?: unknown;
}

/** A 2xx answer from a credential endpoint that is not the JSON object every token answer is (refused in clients.ts). */
export class UnreadableAnswer extends Error {
	constructor(
		readonly url: string,
		readonly status: number,
		/** What it sent, as text. */
		readonly body: string,
	) {
		super(`The answer (HTTP ${status}) is not a JSON object.`);
	}
}

/** The library's error as an EndpointFailure. */
export function libraryFailure(error: unknown): EndpointFailure {
	if (error instanceof UnreadableAnswer) {
		return {kind: 'unreadable', status: error.status, url: requestedUrl({config: {url: error.url}}), body: error.body};
	}
	const failure = (error ?? {}) as GaxiosLike;
	const url = requestedUrl(failure);
	if (tooBig(failure)) return {kind: 'too-big'};
	const status = failure.response?.status ?? (typeof failure.status === 'number' ? failure.status : undefined);
	const network = networkFailure(failure);
	if (network && status === undefined) return {kind: 'network', ...network, url};
	if (status === undefined) {
		const message = failure.message ?? String(error);
		const javascript = error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError;
		return {kind: 'other', message, ...(javascript ? {javascript} : {}), ...(/ByteString/.test(message) ? {header: true} : {})};
	}
	if (status >= 300 && status < 400) {
		const location = failure.response?.headers?.get?.('location') ?? undefined;
		return {kind: 'redirect', status, url, location: location === undefined ? undefined : resolved(location, failure.config?.url)};
	}
	const data = failure.response?.data as {error?: unknown; error_description?: unknown} | undefined;
	return {
		kind: 'answer',
		status,
		url,
		oauthError: typeof data?.error === 'string' ? data.error : undefined,
		description: typeof data?.error_description === 'string' ? data.error_description : undefined,
		apiMessage: typeof data?.error === 'object' && data.error ? messageOf(data.error) : undefined,
		body: bodyOf(failure.response?.data),
	};
}

/** Where a redirect points, resolved as a client would resolve it against the request's URL; as it came otherwise. */
function resolved(location: string, base: unknown): string {
	try {
		return new URL(location, base instanceof URL ? base.href : typeof base === 'string' ? base : undefined).href;
	} catch {
		return location;
	}
}

/** What the library read for a body: gaxios parses JSON and keeps text; the causes read it again, bounded. */
function bodyOf(data: unknown): string | undefined {
	if (data === undefined || data === null) return undefined;
	const text = typeof data === 'string' ? data : JSON.stringify(data);
	return text?.slice(0, maxBodyChars);
}

/** Far more than any token endpoint's refusal: the reading of it stays linear and small. */
const maxBodyChars = 64 * 1024;

/** An API error's message: a string, or nothing (an object would read as "[object Object]"). */
function messageOf(error: object): string {
	const message = (error as {message?: unknown}).message;
	return typeof message === 'string' ? message : '';
}

/** The URL gaxios was asked for, without its query (which may carry a token), when the error records it. */
function requestedUrl(failure: GaxiosLike): string | undefined {
	const raw = failure.config?.url;
	if (!raw) return undefined;
	try {
		const url = new URL(raw instanceof URL ? raw.href : typeof raw === 'string' ? raw : '');
		return terminalSafe(`${url.origin}${url.pathname}`).slice(0, 200);
	} catch {
		return undefined;
	}
}

/** node-fetch's body limit (the `size` the clients set), wherever gaxios put it in the error. */
function tooBig(failure: GaxiosLike): boolean {
	for (let current: unknown = failure, depth = 0; current && depth < 4; current = (current as GaxiosLike).cause, depth++) {
		// node-fetch's FetchError carries type 'max-size'; its message ends "over limit: N" where the type is lost.
		if ((current as GaxiosLike).type === 'max-size' || /over limit: \d+$/.test(String((current as GaxiosLike).message ?? ''))) return true;
	}
	return false;
}

const systemCodes: Record<string, {code: ErrorCode; network?: string}> = {
	ECONNREFUSED: {code: 'refused', network: 'connection refused'},
	ECONNRESET: {code: 'closed', network: 'connection dropped'},
	UND_ERR_SOCKET: {code: 'closed', network: 'connection dropped'},
	ENOTFOUND: {code: 'no-such-host', network: 'host not found'},
	EAI_AGAIN: {code: 'no-such-host', network: 'host not found'},
	ETIMEDOUT: {code: 'unreachable'},
	EHOSTUNREACH: {code: 'unreachable'},
	ENETUNREACH: {code: 'unreachable'},
	ABORT_ERR: {code: 'closed'},
};

function networkFailure(failure: GaxiosLike): {code: ErrorCode; network: string} | undefined {
	for (let current: unknown = failure, depth = 0; current && depth < 4; current = (current as GaxiosLike).cause, depth++) {
		const code = (current as GaxiosLike).code;
		const known = typeof code === 'string' ? systemCodes[code] : undefined;
		if (known) return {code: known.code, network: known.network ?? String(code)};
	}
	return undefined;
}
