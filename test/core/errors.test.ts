import {describe, expect, it} from 'vitest';
import {errorLines, formatError, TokscopeError} from '../../src/core/errors.js';
import {HttpFailure} from '../../src/io/http.js';

describe('an error’s code decides; its sentence only tells', () => {
	it('retries what can pass by itself: network failures, timeouts, a server’s own trouble', () => {
		for (const code of ['timeout', 'refused', 'no-such-host', 'unreachable', 'closed', 'server-error'] as const) {
			expect(new TokscopeError(code, 'It failed.').retryable).toBe(true);
		}
		for (const code of [
			'usage',
			'file',
			'denied',
			'credential-rejected',
			'clock-off',
			'cannot-mint',
			'too-big',
			'tls',
			'policy',
		] as const) {
			expect(new TokscopeError(code, 'It failed.').retryable).toBe(false);
		}
	});

	it('an HTTP failure’s code is its reason, whatever words it quotes', () => {
		const failure = new HttpFailure('tls', 'https://x.example failed the TLS handshake (it timed out)');
		expect(failure).toMatchObject({code: 'tls', retryable: false, message: 'https://x.example failed the TLS handshake (it timed out).'});
	});
});

describe('formatError: one way every edge shows an error', () => {
	const secret = `eyJhbGciOiJSUzI1NiJ9.${'e'.repeat(30)}.${'s'.repeat(30)}`;

	it('ours: the sentence and its hint, terminal-safe and with secrets redacted', () => {
		const error = new TokscopeError('file', `The file /tmp/\u001b[2Jx holds ${secret}.`, {hint: `Try ${secret}.`});
		expect(formatError(error)).toEqual({message: 'The file /tmp/\\u001b[2Jx holds [redacted].', hint: 'Try [redacted].'});
		expect(errorLines(error)).toBe('tokscope: The file /tmp/\\u001b[2Jx holds [redacted].\n  Try [redacted].\n');
	});

	it('anyone else’s: one line, marked unexpected, never a stack or a secret', () => {
		const error = new Error(`socket said ${secret}\n    at Socket.emit (node:events:1:1)`);
		expect(formatError(error)).toEqual({message: 'Unexpected error: socket said [redacted]'});
		expect(formatError('a string')).toEqual({message: 'Unexpected error: a string'});
	});
});
