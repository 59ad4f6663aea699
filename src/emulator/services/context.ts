import {randomBytes} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {EmulatorState} from '../state.js';
import type {Presented} from './bearer.js';

/** Which product a stand-in answers as; the same names `tokscope doctor --json` reports as `target.kind`. */
export type ServiceKind = 'cloud-run' | 'cloud-functions' | 'iap' | 'api-gateway' | 'google-api' | 'public';

/** What a stand-in is configured with; tests change it through `ProtectedService`. */
export interface ServiceSettings {
	kind: ServiceKind;
	/** The URL to call: the origin, or the function's URL for Cloud Functions, or an API method for Google APIs. */
	url: string;
	origin: string;
	/** The `aud` values it accepts, first the one to mint for; empty for services that want access tokens or none. */
	audiences: string[];
	/** Emails holding the product's invoker role (run.invoker, cloudfunctions.invoker, IAP-secured Web App User, a role on the API). */
	invokers: Set<string>;
}

export interface ServiceRequest {
	request: IncomingMessage;
	response: ServerResponse;
	url: URL;
	presented: Presented;
	settings: ServiceSettings;
	state: EmulatorState;
}

export function send(response: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
	response.writeHead(status, {'Content-Length': String(Buffer.byteLength(body)), ...headers});
	response.end(body);
}

/** Google Frontend stamps every answer with a trace id: `TRACE_ID/SPAN_ID;o=1`. */
export function traceContext(): string {
	return `${randomBytes(16).toString('hex')}/${BigInt(`0x${randomBytes(8).toString('hex')}`).toString()};o=1`;
}

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`);
}
