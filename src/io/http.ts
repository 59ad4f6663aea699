import {request as requestHttp, type IncomingHttpHeaders, type IncomingMessage} from 'node:http';
import type {LookupFunction} from 'node:net';
import {TokscopeError, type NetworkCode} from '../core/errors.js';
import {defaultTimeoutMs, formatSeconds, maxTimerMs} from './deadline.js';

/** The most any server's answer may hold unless the caller says otherwise: every document tokscope reads is far smaller. */
export const defaultMaxBytes = 1_048_576;

export interface HttpOptions {
	/** GET unless told; a request body goes with POST, PUT or PATCH. */
	method?: string;
	headers?: Record<string, string>;
	body?: string | Uint8Array;
	/** One deadline for the whole exchange (connect, headers and body): a server that trickles bytes fails at it too. */
	timeoutMs?: number;
	/** Reading stops, and the request fails, past this many bytes of body. */
	maxBytes?: number;
	/**
	 * Past `maxBytes`, keep what was read and end the exchange instead of failing (answer.truncated says so): for a caller
	 * that wants the status and headers whatever the body holds, such as doctor.
	 */
	truncate?: boolean;
	/** Who is asked, as a sentence names it ("The issuer’s key set"); the URL's origin when not given. */
	what?: string;
	/** Resolves the host and may refuse what it resolves to: how the fetch policy checks the address actually dialled. */
	lookup?: LookupFunction;
}

export interface HttpAnswer {
	status: number;
	headers: IncomingHttpHeaders;
	/** The body as UTF-8 text. */
	body: string;
	/** True when the body went past `maxBytes` and only its start was kept (with `truncate`). */
	truncated?: boolean;
}

/** A request that got no usable answer: `message` says what happened in one sentence, `code` lets a caller word its own. */
export class HttpFailure extends TokscopeError {
	constructor(
		override readonly code: NetworkCode,
		/** The sentence without its full stop, to be quoted inside a caller's own sentence. */
		readonly detail: string,
	) {
		super(code, `${detail}.`);
	}
}

/** "1 MiB", "64 KiB", "300 bytes". */
export function formatBytes(bytes: number): string {
	if (bytes >= 1_048_576 && bytes % 1_048_576 === 0) return `${bytes / 1_048_576} MiB`;
	if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
	return `${bytes} bytes`;
}

/**
 * One HTTP(S) exchange within one overall deadline and a body-size limit, following no redirect. On a timeout or an
 * oversized body the request is aborted and its socket destroyed, so nothing keeps reading or holding memory after
 * the caller has been told. node:http(s) rather than fetch: loading fetch's engine, undici, costs a one-shot command
 * more than the request, and keeps about 17 MB resident for as long as the live view runs (README "Speed").
 */
export async function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpAnswer> {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return Promise.reject(new HttpFailure('bad-url', `${options.what ?? 'The address'} is not a URL`));
	}
	const what = options.what ?? (target.origin === 'null' ? url : target.origin);
	if (target.protocol !== 'http:' && target.protocol !== 'https:') {
		return Promise.reject(new HttpFailure('bad-url', `${what} is not a web address (${target.protocol})`));
	}
	const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
	const maxBytes = options.maxBytes ?? defaultMaxBytes;
	const body = options.body === undefined ? undefined : typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
	const headers: Record<string, string> = {...options.headers};
	if (body && !Object.keys(headers).some(name => name.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length);

	// node:https (and TLS with it) loads only for an https URL: a metadata grab over plain http never pays for it.
	const send = target.protocol === 'https:' ? (await import('node:https')).request : requestHttp;

	return new Promise((resolve, reject) => {
		let response: IncomingMessage | undefined;
		let settled = false;
		const fail = (code: NetworkCode, detail: string) => {
			if (settled) return;
			settled = true;
			clearTimeout(deadline);
			reject(new HttpFailure(code, detail));
			// Destroying the request destroys its socket: a trickling or endless server is cut off here, not merely ignored.
			request.destroy();
			response?.destroy();
		};
		// agent: false, one connection per exchange: a pooled socket dialled for another request never carries this one
		// past its lookup, and nothing lingers after the answer.
		const settings = {method: options.method ?? 'GET', headers, agent: false, ...(options.lookup ? {lookup: options.lookup} : {})};
		const request = send(target, settings, answer => {
			response = answer;
			const declared = Number(answer.headers['content-length']);
			if (declared > maxBytes && !options.truncate)
				return fail('too-big', `${what} sent more than ${formatBytes(maxBytes)}; reading stopped there`);
			const chunks: Buffer[] = [];
			let size = 0;
			answer.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size <= maxBytes) return void chunks.push(chunk);
				if (!options.truncate) return fail('too-big', `${what} sent more than ${formatBytes(maxBytes)}; reading stopped there`);
				// Keep the start, then end the exchange here: the rest is never read into memory.
				if (settled) return;
				settled = true;
				clearTimeout(deadline);
				chunks.push(chunk.subarray(0, chunk.length - (size - maxBytes)));
				resolve({status: answer.statusCode ?? 0, headers: answer.headers, body: Buffer.concat(chunks).toString('utf8'), truncated: true});
				request.destroy();
				answer.destroy();
			});
			answer.on('end', () => {
				if (settled) return;
				settled = true;
				clearTimeout(deadline);
				resolve({status: answer.statusCode ?? 0, headers: answer.headers, body: Buffer.concat(chunks).toString('utf8')});
			});
			answer.on('aborted', () => fail('closed', `${what} closed the connection before its answer was complete`));
			answer.on('error', () => fail('closed', `${what} closed the connection before its answer was complete`));
		});
		const deadline = setTimeout(
			() => {
				const within = `within ${formatSeconds(timeoutMs)}`;
				fail('timeout', response ? `${what} did not finish its answer ${within}` : `${what} did not answer ${within}`);
			},
			Math.min(timeoutMs, maxTimerMs),
		);
		deadline.unref();
		request.on('error', error => fail(...failureOf(error as NodeJS.ErrnoException, what, target.host)));
		request.end(body);
	});
}

function failureOf(error: NodeJS.ErrnoException, what: string, host: string): [NetworkCode, string] {
	const code = error.code ?? '';
	if (code === 'EPOLICY') return ['policy', `${what} was not asked: ${error.message}`];
	if (code === 'ECONNREFUSED') return ['refused', `${what} refused the connection`];
	const noSuchHost = `${what} cannot be found (${host} does not resolve)`;
	if (/^(ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NODATA)$/.test(code)) return ['no-such-host', noSuchHost];
	if (/^(EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EADDRNOTAVAIL)$/.test(code)) return ['unreachable', `${what} cannot be reached (no route)`];
	if (/^(ECONNRESET|EPIPE|ECONNABORTED)$/.test(code)) return ['closed', `${what} closed the connection without answering`];
	const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS|^ERR_SSL|^EPROTO$/;
	if (tls.test(code)) return ['tls', `${what} failed the TLS handshake (${code})`];
	return ['request-failed', `${what} could not be asked (${code || error.message})`];
}
