import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {maskToken, redactSecrets} from '../../src/core/redact.js';
import {terminalSafe} from '../../src/core/terminal-safe.js';

const unsafe = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

describe('terminalSafe', () => {
	it('strips OSC 52 clipboard writes, screen clears, cursor moves and titles but keeps the text', () => {
		const hostile = 'ok\u001B]52;c;ZXZpbA==\u0007 \u001B[2J\u001B[H\u001B]0;pwned\u001B\\done\u009B31m!\r\nnext';
		expect(terminalSafe(hostile)).toBe('ok done! next');
		expect(terminalSafe(hostile, {newlines: true})).toBe('ok done!\nnext');
	});

	it('never lets a control character or escape through, whatever the input', () => {
		fc.assert(
			fc.property(fc.string({unit: fc.oneof(fc.constantFrom('\u001B', '\u0007', '\u009B', '\u009D', '[', ']', '\\', ';', 'P'), fc.string({unit: 'binary', maxLength: 1}))}), text => {
				expect(terminalSafe(text)).not.toMatch(unsafe);
				expect(terminalSafe(text)).not.toMatch(/[\r\n]/);
			}),
			{numRuns: 3000},
		);
	});
});

describe('secrets', () => {
	it('masks a token to a short prefix, suffix and length', () => {
		const token = `ya29.${'x'.repeat(40)}SECRETMIDDLE${'y'.repeat(40)}`;
		const masked = maskToken(token);
		expect(masked).not.toContain('SECRETMIDDLE');
		expect(masked).toContain(`(${token.length} chars`);
	});

	it('redacts JWTs, access and refresh tokens and keys from free text', () => {
		const text = 'failed with ya29.a0AfH6SMabc123 and eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig and 1//0gAbcdefghijkl refresh_token=abc&x=1';
		const redacted = redactSecrets(text);
		expect(redacted).not.toMatch(/ya29\.a0|eyJhbGci|1\/\/0gA|=abc/);
		expect(redacted).toContain('refresh_token=[redacted]');
	});

	it('redacts a private key block and a JSON access_token field, keeping the words around them', () => {
		const text = 'key {"private_key":"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n"} and {"access_token": "opaque-secret-value", "expires_in": 3599}';
		const redacted = redactSecrets(text);
		expect(redacted).not.toMatch(/MIIEvQ|opaque-secret-value/);
		expect(redacted).toContain('"expires_in": 3599');
		expect(redacted.startsWith('key {"private_key":"[redacted]')).toBe(true);
	});

	it('never leaves a Google access token or JWT readable in free text', () => {
		const body = fc.string({unit: fc.constantFrom(...'abcXYZ0189_-'.split('')), minLength: 12, maxLength: 80});
		fc.assert(
			fc.property(fc.string(), body, body, fc.string(), (before, a, b, after) => {
				const access = `ya29.${a}`;
				const jwt = `eyJhbGciOiJSUzI1NiJ9.${a}.${b}`;
				const redacted = redactSecrets(`${before} ${access} ${after} ${jwt}`);
				expect(redacted).not.toContain(access);
				expect(redacted).not.toContain(jwt);
			}),
			{numRuns: 500},
		);
	});

	it('masks even a short token without showing it', () => {
		expect(maskToken('ya29.secret')).toBe(`${'•'.repeat(11)} (11 chars)`);
	});
});
