import {subscribe, unsubscribe} from 'node:diagnostics_channel';
import type {ClientRequest, IncomingMessage} from 'node:http';
import {redactSecrets} from '../core/redact.js';
import type {Wire, WireExchange} from '../ui/services.js';

// The wire pane's source: every HTTP exchange tokscope (or google-auth-library under it, through node-fetch and
// node:http) makes, with its bodies, recorded through node:diagnostics_channel as --debug traces them. Nothing is
// patched globally: each request's own write/end and each response's push are wrapped to copy what passes. Every
// credential-looking string is redacted as it is recorded, so no token is ever held here.

/** Enough of a body to see its shape; a token endpoint's answer is far smaller. */
const maxBodyChars = 4096;
/** The newest exchanges kept (a day-long session must not grow). */
const maxExchanges = 200;
/** Request headers worth showing: what a teacher points at. Authorization's value is always redacted. */
const shownHeaders = ['authorization', 'content-type', 'metadata-flavor', 'x-goog-user-project'];

/** The sign-in's form fields that redactSecrets does not know: the PKCE verifier, and the code (a one-time secret). */
const signInSecrets = /((?:^|[?&\s])(?:code|code_verifier)=)[^&\s"]+/g;

function clean(text: string): string {
	const redacted = redactSecrets(text)
		.replace(signInSecrets, '$1[redacted]')
		.replace(/\s*\n\s*/g, ' ');
	return redacted.length > maxBodyChars ? `${redacted.slice(0, maxBodyChars)}… (${redacted.length} chars)` : redacted;
}

function text(chunk: unknown): string {
	if (typeof chunk === 'string') return chunk;
	if (chunk instanceof Uint8Array) return Buffer.from(chunk).toString('utf8');
	return '';
}

export interface RecordingWire extends Wire {
	stop(): void;
}

/** Starts recording; `stop` unsubscribes. */
export function startWire(now: () => Date = () => new Date()): RecordingWire {
	const exchanges: WireExchange[] = [];
	const open = new WeakMap<object, {exchange: WireExchange; started: number}>();
	let nextId = 1;

	const created = (message: unknown) => {
		const {request} = message as {request: ClientRequest};
		if (open.has(request)) return;
		const headers = shownHeaders.flatMap(name => {
			const value = request.getHeader(name);
			if (value === undefined) return [];
			return [`${name}: ${name === 'authorization' ? String(value).replace(/\s.*$/, ' [redacted]') : clean(String(value))}`];
		});
		const host = String(request.getHeader('host') ?? request.host);
		const exchange: WireExchange = {
			id: nextId++,
			startedAt: now(),
			method: request.method,
			url: clean(`${request.protocol}//${host}${request.path}`),
			requestHeaders: headers,
		};
		open.set(request, {exchange, started: performance.now()});
		exchanges.push(exchange);
		if (exchanges.length > maxExchanges) exchanges.shift();
		// The body is copied as the request writes it: created is published before the caller writes anything.
		const body: string[] = [];
		const {write, end} = request;
		request.write = function (this: ClientRequest, chunk: unknown, ...rest: unknown[]) {
			body.push(text(chunk));
			return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
		} as ClientRequest['write'];
		request.end = function (this: ClientRequest, chunk?: unknown, ...rest: unknown[]) {
			if (typeof chunk !== 'function') body.push(text(chunk));
			const all = body.join('');
			if (all) exchange.requestBody = clean(all);
			return (end as (...args: unknown[]) => ClientRequest).call(this, chunk, ...rest);
		} as ClientRequest['end'];
	};

	const answered = (message: unknown) => {
		const {request, response} = message as {request: ClientRequest; response: IncomingMessage};
		const entry = open.get(request);
		if (!entry) return;
		entry.exchange.status = response.statusCode;
		const body: string[] = [];
		const {push} = response;
		// The parser pushes each piece of the body into the response: copying there leaves its reader undisturbed.
		response.push = function (this: IncomingMessage, chunk: unknown, ...rest: unknown[]) {
			if (chunk === null) {
				entry.exchange.latencyMs = Math.round(performance.now() - entry.started);
				const all = body.join('');
				if (all) entry.exchange.responseBody = clean(all);
			} else if (body.length < 64) body.push(text(chunk));
			return (push as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
		} as IncomingMessage['push'];
		entry.exchange.latencyMs = Math.round(performance.now() - entry.started);
	};

	const failed = (message: unknown) => {
		const {request, error} = message as {request: ClientRequest; error: Error};
		const entry = open.get(request);
		if (!entry) return;
		entry.exchange.error = clean(error.message);
		entry.exchange.latencyMs = Math.round(performance.now() - entry.started);
	};

	const channels: Array<[string, (message: unknown) => void]> = [
		['http.client.request.created', created],
		// Before Node 22.12 there is no "created"; "start" comes after the headers, so bodies may be missed there.
		['http.client.request.start', created],
		['http.client.response.finish', answered],
		['http.client.request.error', failed],
	];
	for (const [name, listener] of channels) subscribe(name, listener);

	return {
		between: (from, to) =>
			exchanges.filter(exchange => exchange.startedAt.getTime() >= from.getTime() - 5 && exchange.startedAt.getTime() <= to.getTime()),
		stop: () => {
			for (const [name, listener] of channels) unsubscribe(name, listener);
		},
	};
}
