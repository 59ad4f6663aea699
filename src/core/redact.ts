import {redactHeldSecrets} from './secrets.js';
import {terminalSafe} from './terminal-safe.js';

/**
 * Shows enough of a token to recognise it (a few characters each end and its length), never the middle. The ends are
 * terminal-safe: a token ending in ESC[8m must not conceal the rest of the line.
 */
export function maskToken(token: string): string {
	if (token.length <= 16) return `${'•'.repeat(Math.max(4, token.length))} (${token.length} chars)`;
	return `${terminalSafe(token.slice(0, 8))}…${terminalSafe(token.slice(-4))} (${token.length} chars, masked)`;
}

const secretPatterns = [
	/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, // JWTs (ID tokens, self-signed JWTs)
	/ya29\.[A-Za-z0-9._-]+/g, // Google access tokens
	/1\/\/[A-Za-z0-9._-]{10,}/g, // Google refresh tokens
	/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
	/((?:access_token|id_token|refresh_token|assertion|client_secret|subject_token)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi,
];

/**
 * Removes every credential from free text (error messages, logs, evidence, a server's echo): each secret the process
 * holds by its value (secrets.ts), and anything shaped like one.
 */
export function redactSecrets(text: string): string {
	return secretPatterns.reduce(
		(result, pattern) =>
			result.replace(pattern, (match, prefix?: string) =>
				typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]',
			),
		redactHeldSecrets(text),
	);
}

/** The same for a value read from a server (tokeninfo's answer): every string in it, at any depth up to 64. */
export function redactValue(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return redactSecrets(value);
	if (typeof value !== 'object' || value === null || depth > 64) return value;
	if (Array.isArray(value)) return value.map(item => redactValue(item, depth + 1));
	return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactSecrets(key), redactValue(item, depth + 1)]));
}
