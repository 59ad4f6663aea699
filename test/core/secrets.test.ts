import {randomBytes} from 'node:crypto';
import {afterEach, describe, expect, it} from 'vitest';
import {redactSecrets, redactValue} from '../../src/core/redact.js';
import {forgetSecrets, heldSecretCount, rememberPrivateKey, rememberSecret} from '../../src/core/secrets.js';

// Redaction by value: whatever shape a server echoes a secret the process holds in, it never leaves in text.

afterEach(() => forgetSecrets());

const token = 'opaque-TOKEN_0123456789abcdefghijklmnopqrstuvwxyz';
const half = token.length / 2;

describe('a secret the process holds is redacted wherever it stands', () => {
	it.each([
		['as it is', `denied: ${token}.`],
		['its halves swapped', `denied: ${token.slice(half)}${token.slice(0, half)}.`],
		['inside a URL', `see https://evil.example/log?t=${token}&x=1`],
		['percent-encoded', `see https://evil.example/log?t=${encodeURIComponent(`1//${token}`)}`],
		['a piece of it', `denied: …${token.slice(7, 30)}…`],
	])('%s', (_, text) => {
		// No pattern knows this shape: before the process holds it, nothing is redacted.
		expect(redactSecrets(text)).not.toContain('[redacted]');
		rememberSecret(token);
		const redacted = redactSecrets(text);
		expect(redacted).toContain('[redacted]');
		for (let start = 0; start + 17 <= token.length; start++) expect(redacted).not.toContain(token.slice(start, start + 17));
	});

	it('leaves other text alone, and never hunts for a value too short to be a secret', () => {
		rememberSecret(token);
		rememberSecret('short-secret');
		expect(redactSecrets('The OAuth token endpoint (http://127.0.0.1:8080/token) answered HTTP 400: a short-secret.')).toBe(
			'The OAuth token endpoint (http://127.0.0.1:8080/token) answered HTTP 400: a short-secret.',
		);
	});

	it('a private key by its body, line by line, without its header (shared by every key of a kind)', () => {
		const body = Array.from({length: 6}, (_, line) => `${String(line).repeat(8)}QWERTYUIOPasdfghjklZXCVBNM0123456789+/abcdefghijkl${line}`);
		const pem = `-----BEGIN PRIVATE KEY-----\n${body.join('\n')}\n-----END PRIVATE KEY-----\n`;
		rememberPrivateKey(pem);
		expect(redactSecrets(`the key was ${body[3]} and ${body[4]}`)).toBe('the key was [redacted] and [redacted]');
	});

	it('inside a server’s answer, in any field and key, at any depth', () => {
		rememberSecret(token);
		expect(redactValue({aud: 'x', echo: token, nested: [{[token]: `${token.slice(half)}${token.slice(0, half)}`}]})).toEqual({
			aud: 'x',
			echo: '[redacted]',
			nested: [{'[redacted]': '[redacted]'}],
		});
	});

	it('holds at most 64 secrets, the newest', () => {
		const secrets = Array.from({length: 100}, () => randomBytes(24).toString('base64url'));
		for (const secret of secrets) rememberSecret(secret);
		expect(heldSecretCount()).toBe(64);
		expect(redactSecrets(secrets[99]!)).toBe('[redacted]');
		expect(redactSecrets(secrets[0]!)).toBe(secrets[0]);
	});
});
