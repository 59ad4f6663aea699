/**
 * An error a user can act on: `message` is one plain sentence (never containing a token),
 * `hint` says what to do next. Made where the cause is known, shown once at the edge (cli or ui).
 */
export class TokscopeError extends Error {
	override readonly name = 'TokscopeError';
	readonly hint: string | undefined;
	/**
	 * Whether asking again can succeed on its own (a network failure, a 5xx, a 429, a timeout: true) or only after the
	 * user fixes something (a missing file, a revoked grant, a 403: false); undefined where the maker cannot tell.
	 * The live view backs off and retries only the first kind. Settable, so the layer that knows (sources/errors.ts)
	 * can mark an error made below it.
	 */
	retryable: boolean | undefined;

	constructor(message: string, options: {hint?: string; cause?: unknown; retryable?: boolean} = {}) {
		super(message, {cause: options.cause});
		this.hint = options.hint;
		this.retryable = options.retryable;
	}
}

export function isTokscopeError(error: unknown): error is TokscopeError {
	return error instanceof TokscopeError;
}
