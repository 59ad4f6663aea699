import {TokscopeError} from '../core/errors.js';

/** Default deadline for one auth call; the library's own retries can otherwise take a minute. */
export const defaultTimeoutMs = 10_000;

/** "5 s", "1.5 s": how a deadline is named in a sentence. */
export function formatSeconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

/** setTimeout's limit (about 24.8 days): a longer delay overflows and fires at once. */
export const maxTimerMs = 2 ** 31 - 1;

/**
 * Runs `work` but gives up with a sentence after `ms`: nothing the user waits on may hang. `what` names who did not
 * answer, or, as a function, writes the whole sentence when the time is up (from "within 10 s"), for a call that knows
 * only then what it was waiting on.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string | ((within: string) => string)): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const within = `within ${formatSeconds(ms)}`;
	const sentence = () => (typeof what === 'string' ? `${what} did not answer ${within}.` : what(within));
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new TokscopeError('timeout', sentence())), Math.min(ms, maxTimerMs));
		timer.unref();
	});
	try {
		return await Promise.race([work, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** Times a fetch so every RawToken says how long it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{value: T; latencyMs: number; fetchedAt: Date}> {
	const started = performance.now();
	const value = await work();
	return {value, latencyMs: Math.round(performance.now() - started), fetchedAt: new Date()};
}
