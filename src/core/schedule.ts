// When to refresh a token, as pure arithmetic so it is tested without React or timers.

/** Refresh once this share of the lifetime is used: late enough to be once per lifetime, early enough to never lapse. */
export const refreshAtShare = 0.8;
const maxRetryMs = 60_000;

/**
 * Milliseconds until the next automatic refresh, or null when the token does not say when it expires.
 * A token already past its refresh point (a metadata server hands out cached tokens) is retried after half its
 * remaining life, at most 30 s and at least 1 s later, so it never turns into a refresh storm. One that arrived
 * already expired (a lifetime of 0, an exp in the past) is asked for again on the backoff schedule, 2, 4, 8 … 60 s,
 * by how many came so in a row: asking again at once brings the same.
 */
export function refreshDelayMs(token: {issuedAt: Date | null; expiresAt: Date | null}, now: Date, expiredInARow = 0): number | null {
	if (!token.expiresAt) return null;
	const remaining = token.expiresAt.getTime() - now.getTime();
	if (remaining <= 0) return retryDelayMs(Math.max(1, expiredInARow));
	const issued = token.issuedAt?.getTime() ?? now.getTime();
	const lifetime = token.expiresAt.getTime() - issued;
	const ideal = issued + lifetime * refreshAtShare - now.getTime();
	const floor = Math.max(1000, Math.min(remaining / 2, 30_000));
	return Math.round(Math.max(ideal, floor));
}

/** Backoff after a failed refresh: 2, 4, 8 … 60 s. */
export function retryDelayMs(attempt: number): number {
	return Math.min(maxRetryMs, 2000 * 2 ** Math.max(0, attempt - 1));
}

/** The longest delay setTimeout honours (2^31 − 1 ms, about 24.8 days): Node fires a longer one after 1 ms. */
export const maxTimerDelayMs = 2 ** 31 - 1;

/**
 * A wait as setTimeout can take it: never negative, never past the 32-bit limit. A caller whose wait was cut
 * re-arms when the timer fires, so a token living 60 days is refreshed once, not every millisecond.
 */
export function timerDelayMs(waitMs: number): number {
	// NaN (a date no one could read) waits as long as a timer can rather than firing at once, every time.
	if (Number.isNaN(waitMs)) return maxTimerDelayMs;
	return Math.min(maxTimerDelayMs, Math.max(0, Math.ceil(waitMs)));
}
