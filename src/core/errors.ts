/**
 * An error a user can act on: `message` is one plain sentence (never containing a token),
 * `hint` says what to do next. Made where the cause is known, shown once at the edge (cli or ui).
 */
export class TokscopeError extends Error {
	override readonly name = 'TokscopeError';
	readonly hint: string | undefined;

	constructor(message: string, options: {hint?: string; cause?: unknown} = {}) {
		super(message, {cause: options.cause});
		this.hint = options.hint;
	}
}

export function isTokscopeError(error: unknown): error is TokscopeError {
	return error instanceof TokscopeError;
}
