import {TokscopeError} from './errors.js';
import type {TokenType} from './types.js';
import {rememberSecret} from './secrets.js';

// What a server's answer must look like before tokscope prints, shows, copies or pastes it into a shell command: a
// metadata server answering HTML, an empty body, 64 KiB of `a`, or a token ending in `$(id)` or ESC ] 52 is refused
// here, with one sentence naming the server, rather than passed on as a token.

/** Google's access tokens are about 200 characters, JWT access tokens (STS, other issuers) a few KiB. */
export const maxAccessTokenChars = 16 * 1024;
/** An ID token with `format=full` and licenses is a few KiB; 64 KiB is what the decoder reads at most. */
export const maxIdTokenChars = 64 * 1024;
/** The longest lifetime a server may claim for a token: Google's are at most 12 h; anything past a year is not a lifetime. */
export const maxLifetimeSeconds = 366 * 24 * 3600;

const base64url = /^[A-Za-z0-9_-]+$/;
/** RFC 6750's b64token: what may follow `Bearer ` in a header, and nothing a shell or a terminal acts on. */
const accessTokenCharacters = /^[A-Za-z0-9._~+/-]+=*$/;

/** Why `token` is not what a server should have sent as an access or ID token, or undefined when it is. */
export function tokenShapeProblem(token: string, type: TokenType): string | undefined {
	if (token.length === 0) return 'an empty answer';
	const max = type === 'id' ? maxIdTokenChars : maxAccessTokenChars;
	if (token.length > max) return `${Math.ceil(token.length / 1024)} KiB, far longer than any token`;
	if (/^\s*</.test(token)) return 'an HTML or XML page';
	if (type === 'access') return accessTokenCharacters.test(token) ? undefined : 'characters no access token has';
	const parts = token.split('.');
	if (parts.length !== 3) return `${parts.length} part${parts.length === 1 ? '' : 's'} where a JWT has three`;
	if (!parts.every(part => base64url.test(part))) return 'a JWT whose parts are not all base64url';
	if (!/^\s*\{/.test(Buffer.from(parts[0]!, 'base64url').toString('utf8'))) return 'a JWT whose header is not JSON';
	return undefined;
}

/** Throws one sentence naming the server when `token` is not shaped like the token asked for. */
export function expectTokenShape(token: string, type: TokenType, server: string): string {
	const problem = tokenShapeProblem(token, type);
	if (problem) {
		const wanted = type === 'id' ? 'an ID token (a JWT)' : 'an access token';
		throw new TokscopeError('bad-answer', `${server} answered with something that is not ${wanted}: ${problem}. It was not used.`);
	}
	// Every token a server gives passes here: from now on it is redacted by value wherever text leaves the process.
	rememberSecret(token);
	return token;
}

/**
 * When a token expires, from the lifetime a server gave (`expires_in` seconds): undefined when it gave none, and one
 * sentence when the number is not a lifetime at all (1e30 would show "expires in NaNs" and start a refresh storm).
 */
export function expiryFromLifetime(seconds: unknown, from: Date, server: string): Date | undefined {
	if (seconds === undefined || seconds === null) return undefined;
	const value = typeof seconds === 'string' && seconds.trim() !== '' ? Number(seconds) : seconds;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > maxLifetimeSeconds) {
		throw new TokscopeError(
			'bad-answer',
			`${server} said the token lives ${describeNumber(seconds)} seconds, which no token does (0 to 366 days); it was not used.`,
		);
	}
	return new Date(from.getTime() + value * 1000);
}

/** The same check for an absolute expiry (epoch milliseconds) a library computed from the server's answer. */
export function expectExpiry(expiresAtMs: number | null | undefined, now: Date, server: string): Date | undefined {
	if (expiresAtMs === undefined || expiresAtMs === null) return undefined;
	const seconds = (expiresAtMs - now.getTime()) / 1000;
	// A token that expired a moment ago (a slow answer, a skewed clock) is still a token; a NaN date is not.
	if (!Number.isFinite(seconds) || seconds < -86_400 || seconds > maxLifetimeSeconds) {
		throw new TokscopeError(
			'bad-answer',
			`${server} said the token lives ${describeNumber(seconds)} seconds, which no token does (0 to 366 days); it was not used.`,
		);
	}
	return new Date(expiresAtMs);
}

function describeNumber(value: unknown): string {
	if (typeof value === 'number' && !Number.isNaN(value)) {
		// Three significant digits: 1e+30, not 9.999999999999999e+29 after the library's arithmetic.
		return Number.isFinite(value) ? String(Math.abs(value) >= 1e6 ? Number(value.toPrecision(3)) : value) : 'an endless number of';
	}
	if (typeof value === 'number') return 'an unreadable number of';
	return `"${String(value)
		.slice(0, 20)
		.replace(/[^\x20-\x7E]/g, '?')}"`;
}
