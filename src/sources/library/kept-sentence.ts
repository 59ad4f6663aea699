import {TokscopeError} from '../../core/errors.js';

/**
 * Impersonation (the library's Impersonated) rewrites the message of whatever its caller's client throws ("unable to
 * impersonate: TokscopeError: …"); ours is already the sentence to show, so it keeps it (an assignment to the message
 * is ignored, not an error).
 */
export function keepSentence<A extends unknown[], R>(work: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
	return async (...args) => {
		try {
			return await work(...args);
		} catch (error) {
			if (error instanceof TokscopeError) {
				const sentence = error.message;
				Object.defineProperty(error, 'message', {get: () => sentence, set: () => {}, configurable: true});
			}
			throw error;
		}
	};
}
