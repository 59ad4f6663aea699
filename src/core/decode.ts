// jose's own entry points for these two: through its index, the bundler would load all of jose (key management,
// JWE, …) before the TUI's first frame, since the live view decodes tokens.
import {isGoogleIssuer, isServiceAccountEmail} from './google.js';
import {decodeProtectedHeader} from 'jose/decode/protected_header';
import {decodeJwt} from 'jose/jwt/decode';
import {TokscopeError} from './errors.js';
import {limitDepth} from './json.js';
import {rememberSecret} from './secrets.js';
import {expiryOf} from './times.js';
import type {RawToken, TokenKind, TokenView} from './types.js';

/** Real tokens are a few KiB; anything much larger is not one, and decoding it would only waste memory. */
export const maxTokenBytes = 64 * 1024;

const opaqueToken = /^[A-Za-z0-9._~+/-]+=*$/;

const notChecked = {status: 'unverified', code: 'not-checked', reason: 'The signature has not been checked yet.'} as const;

/**
 * Decodes any token the user may hold. Throws a TokscopeError with one sentence (never echoing the token)
 * when the input cannot be a token at all.
 */
export function decodeToken(input: string): TokenView {
	const token = normalizeToken(input);
	if (token.length === 0)
		throw new TokscopeError('not-a-token', 'No token was given.', {
			hint: 'Pass it as an argument, or pipe it in: `tokscope inspect - < token.txt`.',
		});
	if (token.length > maxTokenBytes) {
		throw new TokscopeError(
			'not-a-token',
			`The input is ${Math.round(token.length / 1024)} KiB, far larger than any token (they are a few KiB), so it was not decoded.`,
		);
	}
	if (token.startsWith('ya29.') && opaqueToken.test(token)) return opaque('google-access-token');

	const parts = token.split('.');
	if (parts.length === 5) {
		throw new TokscopeError(
			'not-a-token',
			'This is an encrypted JWT (JWE, five parts): only the holder of its decryption key can read it, so it cannot be decoded here.',
		);
	}
	if (parts.length === 3 && (parts[0]!.startsWith('eyJ') || hasJsonHeader(parts[0]!))) return decodeJwtView(token);
	if (token.startsWith('eyJ')) {
		throw new TokscopeError(
			'not-a-token',
			`This looks like a JWT but has ${parts.length} part${parts.length === 1 ? '' : 's'}; a JWT has three ` +
				`(header.payload.signature), so it may have been cut off when copied.`,
		);
	}
	if (!opaqueToken.test(token) || token.length < 16) {
		throw new TokscopeError(
			'not-a-token',
			'This is not a token: a token is a JWT (three base64url parts separated by dots) or an opaque string of URL-safe characters.',
		);
	}
	return opaque('opaque');
}

/** A header written with a space or newline first ("{ \"alg\"") does not start with eyJ but is still a JWT. */
function hasJsonHeader(part: string): boolean {
	if (!/^[A-Za-z0-9_-]+$/.test(part)) return false;
	return /^\s*\{/.test(Buffer.from(part, 'base64url').toString('utf8'));
}

/**
 * The token inside what people paste: surrounding whitespace, an `Authorization: Bearer ` header copied from curl,
 * or the quotes of a JSON string. Everything else is left for the decoder to judge.
 */
export function normalizeToken(input: string): string {
	let token = input
		.trim()
		.replace(/^authorization:\s*/i, '')
		.replace(/^bearer(?:\s+|$)/i, '');
	if (/^(["']).*\1$/s.test(token)) token = token.slice(1, -1);
	// Every token the user gives (pasted, piped, --token, inspect's argument) passes here: redacted by value from now on.
	rememberSecret(token.trim());
	return token.trim();
}

function opaque(kind: TokenKind): TokenView {
	return {kind, header: null, claims: null, issuedAt: null, expiresAt: null, notBefore: null, verification: {...notChecked}};
}

function decodeJwtView(token: string): TokenView {
	let header: Record<string, unknown>;
	let claims: Record<string, unknown>;
	try {
		header = limitDepth(decodeProtectedHeader(token) as Record<string, unknown>);
	} catch {
		throw new TokscopeError('not-a-token', 'The JWT’s header is not valid base64url-encoded JSON, so the token is damaged or not a JWT.');
	}
	try {
		// Bounded here, where the token is read: everything that shows or serialises claims walks them recursively.
		claims = limitDepth(decodeJwt(token) as Record<string, unknown>);
	} catch {
		throw new TokscopeError(
			'not-a-token',
			'The JWT’s payload is not a valid base64url-encoded JSON object, so the token is damaged or not a JWT.',
		);
	}
	const expiry = expiryOf(claims.exp);
	return {
		kind: classifyJwt(header, claims),
		header,
		claims,
		issuedAt: secondsToDate(claims.iat),
		expiresAt: expiry.expiresAt,
		...(expiry.clamped ? {expiryNote: expiry.clamped} : {}),
		notBefore: secondsToDate(claims.nbf),
		verification: {...notChecked},
	};
}

/**
 * An ID token has Google's ID-token shape (RS256; aud, azp or email, sub, exp; no scope): a Google ID token when Google
 * issued it, an ID token of another issuer (such as the emulator) otherwise, which its verification calls "not Google".
 * A self-signed JWT is a service account's own assertion used as an access token (iss = sub = the service account).
 */
function classifyJwt(header: Record<string, unknown>, claims: Record<string, unknown>): TokenKind {
	const issuer = typeof claims.iss === 'string' ? claims.iss : '';
	const serviceAccount = isServiceAccountEmail(issuer);
	if (serviceAccount && claims.sub === issuer && !('target_audience' in claims)) return 'self-signed-jwt';
	const googleShaped =
		header.alg === 'RS256' &&
		'aud' in claims &&
		'sub' in claims &&
		('azp' in claims || 'email' in claims) &&
		!('scope' in claims) &&
		'exp' in claims;
	if (googleShaped && isGoogleIssuer(issuer)) return 'google-id-token';
	if (googleShaped && /^https?:\/\//.test(issuer)) return 'id-token';
	return 'jwt';
}

/** NumericDate seconds as a Date; null when absent or beyond what a Date can hold (a forged exp of 1e20 must not crash us). */
export function secondsToDate(value: unknown): Date | null {
	if (typeof value !== 'number' || !Number.isFinite(value)) return null;
	const date = new Date(value * 1000);
	return Number.isNaN(date.getTime()) ? null : date;
}

/** The view of a token a source fetched: what the token says, plus what the source knows (an opaque token's expiry). */
export function viewOfRawToken(raw: RawToken): TokenView {
	const view = decodeToken(raw.token);
	if (!view.expiresAt && raw.expiresAt) {
		// Opaque tokens carry no times; the fetch time stands in for issue time so the lifetime bar works.
		return {...view, expiresAt: raw.expiresAt, issuedAt: view.issuedAt ?? raw.fetchedAt};
	}
	return view;
}

/** "Google ID token", "Google access token", ... as a user would name it. */
export function kindLabel(kind: TokenKind): string {
	return {
		'google-id-token': 'ID token (OpenID Connect JWT)',
		'id-token': 'ID token (OpenID Connect JWT)',
		'google-access-token': 'Google access token (opaque)',
		'self-signed-jwt': 'self-signed JWT access token',
		jwt: 'JWT',
		opaque: 'opaque token',
	}[kind];
}
