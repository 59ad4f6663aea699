import {get as getHttp, type IncomingMessage} from 'node:http';
import {get as getHttps} from 'node:https';

export interface JsonAnswer {
	status: number;
	/** The parsed body, or undefined when it was not JSON. */
	json: unknown;
}

/**
 * GETs a small JSON document (an issuer's discovery document or key set) within `timeoutMs`, following no redirect.
 * node:http(s) rather than fetch: fetch's engine, undici, loads on first use and keeps about 17 MB resident for as
 * long as the live view runs. Rejects with an error whose code is ETIMEDOUT, ETOOBIG or the socket's.
 */
export function getJson(url: string, timeoutMs: number, maxBytes = 1_048_576): Promise<JsonAnswer> {
	return new Promise((resolve, reject) => {
		const get = url.startsWith('https:') ? getHttps : getHttp;
		const request = get(url, {headers: {accept: 'application/json'}}, (response: IncomingMessage) => {
			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > maxBytes) request.destroy(Object.assign(new Error(`more than ${maxBytes} bytes`), {code: 'ETOOBIG'}));
				else chunks.push(chunk);
			});
			response.on('end', () => {
				clearTimeout(deadline);
				resolve({status: response.statusCode ?? 0, json: parse(Buffer.concat(chunks).toString('utf8'))});
			});
			response.on('error', reject);
		});
		// One deadline for the whole exchange: a server that trickles bytes must not keep us waiting either.
		const deadline = setTimeout(() => request.destroy(Object.assign(new Error('timed out'), {code: 'ETIMEDOUT'})), timeoutMs);
		deadline.unref();
		request.on('error', error => {
			clearTimeout(deadline);
			reject(error);
		});
	});
}

function parse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
