import {subscribe} from 'node:diagnostics_channel';
import type {ClientRequest, IncomingMessage} from 'node:http';
import {redactSecrets} from '../core/redact.js';
import {terminalSafe} from '../core/terminal-safe.js';

// --debug: one line on stderr per HTTP request any part of tokscope (or google-auth-library under it) makes,
// with every credential-looking string redacted. Tokens never reach the trace.

const started = new WeakMap<object, number>();

let stderr: NodeJS.WritableStream = process.stderr;

function line(text: string): void {
	stderr.write(`tokscope debug: ${terminalSafe(redactSecrets(text))}\n`);
}

function target(request: ClientRequest): string {
	return `${request.method} ${request.protocol}//${String(request.getHeader('host') ?? request.host)}${request.path}`;
}

export function startDebugLog(to: NodeJS.WritableStream): void {
	stderr = to;
	subscribe('http.client.request.start', message => {
		const {request} = message as {request: ClientRequest};
		started.set(request, performance.now());
	});
	subscribe('http.client.response.finish', message => {
		const {request, response} = message as {request: ClientRequest; response: IncomingMessage};
		const ms = Math.round(performance.now() - (started.get(request) ?? performance.now()));
		line(`${target(request)} → HTTP ${response.statusCode ?? '?'} in ${ms} ms`);
	});
	subscribe('http.client.request.error', message => {
		const {request, error} = message as {request: ClientRequest; error: Error};
		line(`${target(request)} → failed: ${error.message}`);
	});
	subscribe('undici:request:create', message => {
		const {request} = message as {request: {method: string; origin: string; path: string}};
		line(`${request.method} ${request.origin}${request.path} (fetch)`);
	});
}
