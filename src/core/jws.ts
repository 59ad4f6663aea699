import {decodeProtectedHeader} from 'jose/decode/protected_header';
import {limitDepth, parseJson} from './json.js';
import type {TokenView} from './types.js';

/** A JWS whose payload is not a JSON claim set (RFC 7515 A.4's "Payload", the JOSE cookbook's quotation): signed, but not a JWT. */
export interface TextJwsView extends TokenView {
	/** The payload as text (its control characters are the printer's to make visible), or a note for binary content. */
	payloadText: string;
	/** False when the payload is not UTF-8, so `payloadText` describes it instead of holding it. */
	payloadIsText: boolean;
}

/**
 * Reads a compact JWS whose header is JSON but whose payload is not a JSON object; undefined for anything else (a JWT,
 * an opaque token, garbage), which the ordinary decoder judges. Such a JWS has no claims and so no times, but its
 * signature can still be checked with the right key.
 */
export function decodeTextJws(token: string): TextJwsView | undefined {
	const parts = token.split('.');
	if (parts.length !== 3 || !parts.every(part => /^[A-Za-z0-9_-]*$/.test(part)) || !parts[2]) return undefined;
	let header: Record<string, unknown>;
	try {
		header = limitDepth(decodeProtectedHeader(token) as Record<string, unknown>);
	} catch {
		return undefined;
	}
	const bytes = Buffer.from(parts[1]!, 'base64url');
	const text = utf8(bytes);
	const json = text === undefined ? undefined : parseJson(text);
	if (json !== null && typeof json === 'object' && !Array.isArray(json)) return undefined;
	return {
		kind: 'jwt',
		header,
		claims: null,
		issuedAt: null,
		expiresAt: null,
		notBefore: null,
		verification: {status: 'unverified', code: 'not-checked', reason: 'The signature has not been checked yet.'},
		payloadText: text ?? `${bytes.length} bytes of binary data (not UTF-8 text)`,
		payloadIsText: text !== undefined,
	};
}

function utf8(bytes: Buffer): string | undefined {
	try {
		return new TextDecoder('utf-8', {fatal: true}).decode(bytes);
	} catch {
		return undefined;
	}
}
