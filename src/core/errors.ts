import type {Cause} from './cause.js';
import {redactSecrets} from './redact.js';
import {terminalSafe, visibleOnce} from './terminal-safe.js';

/** Why a request got no usable answer (io/http.ts, io/deadline.ts): set where the socket or the timer said so. */
export type NetworkCode =
	'bad-url' | 'timeout' | 'too-big' | 'refused' | 'no-such-host' | 'unreachable' | 'closed' | 'tls' | 'policy' | 'request-failed';

/**
 * What went wrong, as code decides on it (retry? which cause? which exit status?); the sentence is only for people.
 * Add codes, never rename one: tests and the live view read them.
 */
export type ErrorCode =
	| NetworkCode
	/** A flag, an argument or a typed value is not what it should be. */
	| 'usage'
	/** A file the user named (or an environment variable named) cannot be read, or does not hold what it should. */
	| 'file'
	/** The input is not a token, or a damaged one. */
	| 'not-a-token'
	/** A server answered, but not with what was asked (not JSON, no token, a token of the wrong shape or lifetime). */
	| 'bad-answer'
	/** Nothing to mint with: no credential found, not signed in, the metadata server absent. */
	| 'no-credential'
	/** The source cannot mint what was asked (a user credential and an arbitrary audience, a pasted token's other kind). */
	| 'cannot-mint'
	/** The caller is not allowed: 401 or 403 from IAM, a proxy that wants credentials, a lifetime the policy refuses. */
	| 'denied'
	/** IAM does not know the service account. */
	| 'not-found'
	/** The credential itself was refused: a revoked refresh token, an unknown client, a deleted key. */
	| 'credential-rejected'
	/** The token endpoint refused a signed request as out of time: this machine's clock is off. */
	| 'clock-off'
	/** A server's own trouble (5xx) or a rate limit (429): it can pass by itself. */
	| 'server-error'
	/** Any other HTTP answer from an auth endpoint: it repeats until something is fixed. */
	| 'rejected'
	/** An auth library failed in a way none of the above describes. */
	| 'auth-failed'
	/** A token is never sent there: plain http off this machine. */
	| 'insecure-url'
	/** The service answered with a redirect, which is never followed with a token. */
	| 'redirect'
	/** A program tokscope runs (gcloud, curl) is missing, or failed. */
	| 'tool-missing'
	| 'tool-failed'
	/** Standard output is closed or its reader is gone. */
	| 'output'
	/** Nothing could be copied here. */
	| 'clipboard'
	/** A local port could not be listened on (the emulator, the sign-in's loopback server). */
	| 'listen-failed'
	/** The sign-in did not complete: no answer in time, or the browser came back with an error. */
	| 'sign-in-failed'
	/** The user stopped it (Ctrl-C at a prompt). */
	| 'cancelled';

/** Codes whose cause can pass by itself: only these are retried (with backoff) by the live view. */
const retryableCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
	'timeout',
	'refused',
	'no-such-host',
	'unreachable',
	'closed',
	'server-error',
]);

/**
 * An error a user can act on: `message` is one plain sentence (never containing a token), `hint` says what to do next,
 * `code` says what happened for code that decides. Made where the cause is known, shown once at the edge (formatError).
 */
export class TokscopeError extends Error {
	override readonly name = 'TokscopeError';
	readonly hint: string | undefined;
	/**
	 * What the answer behind the error named, in doctor's cause codes (core/mint-causes.ts): a token endpoint's
	 * `invalid_rapt`, IAM's permission, STS's attribute condition. `doctor` reports them; empty when nothing was named.
	 */
	readonly causes: readonly Cause[];

	constructor(
		readonly code: ErrorCode,
		message: string,
		options: {hint?: string; cause?: unknown; causes?: readonly Cause[]} = {},
	) {
		super(message, {cause: options.cause});
		this.hint = options.hint;
		this.causes = options.causes ?? [];
	}

	/**
	 * Whether asking again can succeed on its own (a network failure, a 5xx, a 429, a timeout) or only after the user
	 * fixes something (a missing file, a revoked grant, a 403). The live view backs off and retries only the first kind.
	 */
	get retryable(): boolean {
		return retryableCodes.has(this.code);
	}
}

export function isTokscopeError(error: unknown): error is TokscopeError {
	return error instanceof TokscopeError;
}

/** An error as the user sees it, wherever it is shown: terminal-safe, with every secret redacted. */
export interface ErrorText {
	message: string;
	hint?: string;
}

// Our own sentences quote server and file text already made terminal-safe where they were made: escaped once more,
// `\u001b` would read `\\u001b`. What is still raw is escaped; a library's words (unexpected) are escaped whole.
const shown = (text: string) => visibleOnce(redactSecrets(text));
const shownRaw = (text: string) => terminalSafe(redactSecrets(text));

/**
 * The one way an error becomes text, for the command line, doctor's report and the live view alike. An error we did not
 * make (a library's, a bug) is one line of its own words, marked unexpected: never a stack trace, never a secret.
 */
export function formatError(error: unknown): ErrorText {
	if (error instanceof TokscopeError)
		return error.hint ? {message: shown(error.message), hint: shown(error.hint)} : {message: shown(error.message)};
	const text = error instanceof Error ? error.message : String(error);
	return {message: `Unexpected error: ${shownRaw(text.split('\n')[0] ?? '')}`};
}

/** The lines an error takes on stderr: `tokscope: sentence`, then the hint indented. */
export function errorLines(error: unknown): string {
	const {message, hint} = formatError(error);
	return `tokscope: ${message}\n${hint ? `  ${hint}\n` : ''}`;
}
