import type {TokenView} from './types.js';

export interface TokenTimes {
	/** Milliseconds until expiry (negative once expired); null when the token does not say. */
	remainingMs: number | null;
	/** Total lifetime from issue to expiry; null when either is unknown. */
	lifetimeMs: number | null;
	/** Share of the lifetime already used, 0..1. */
	usedShare: number | null;
	expired: boolean;
}

export function tokenTimes(view: Pick<TokenView, 'issuedAt' | 'expiresAt'>, now: Date): TokenTimes {
	const remainingMs = view.expiresAt ? view.expiresAt.getTime() - now.getTime() : null;
	const lifetimeMs = view.expiresAt && view.issuedAt ? view.expiresAt.getTime() - view.issuedAt.getTime() : null;
	const usedShare = lifetimeMs && lifetimeMs > 0 && remainingMs !== null ? Math.min(1, Math.max(0, 1 - remainingMs / lifetimeMs)) : null;
	return {remainingMs, lifetimeMs, usedShare, expired: remainingMs !== null && remainingMs <= 0};
}

/** 9999-12-31T23:59:59Z: the last instant written with a four-digit year. */
const latestShownSeconds = 253_402_300_799;

export interface Expiry {
	/** When the token is taken to expire, everywhere (inspect's verdict, the live view's countdown and schedule). */
	expiresAt: Date | null;
	/** Said wherever the expiry is shown, when the token's own exp was not taken as it is. */
	clamped?: string;
}

/**
 * A token's `exp` as tokscope takes it, the same in `inspect` and the live view. A number past any date a clock can
 * show (1e308 would be "NaN-NaN-NaN" on one screen and "valid" on the other) is clamped to the year 9999, one before
 * 1970 to 1970, and the sentence says so. A long but real lifetime (a year, ten) is left as it is: the token is valid
 * until then, and the clock's warning (skew.ts) says no Google token lives that long.
 */
export function expiryOf(exp: unknown): Expiry {
	if (typeof exp !== 'number' || !Number.isFinite(exp)) return {expiresAt: null};
	if (exp > latestShownSeconds) {
		return {
			expiresAt: new Date(latestShownSeconds * 1000),
			clamped: `Its exp (${shortNumber(exp)}) is beyond any date: taken as the year 9999.`,
		};
	}
	if (exp < 0) return {expiresAt: new Date(0), clamped: `Its exp (${shortNumber(exp)}) is before 1970: taken as 1970.`};
	return {expiresAt: new Date(exp * 1000)};
}

function shortNumber(value: number): string {
	return Math.abs(value) >= 1e6 ? value.toPrecision(3).replace('e+', 'e') : String(value);
}

/** "4m 12s", "1h 02m", "45s": compact, for countdowns and the event log. */
export function formatDuration(ms: number): string {
	const total = Math.floor(Math.abs(ms) / 1000);
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const seconds = total % 60;
	if (hours >= 24) return `${Math.floor(hours / 24)}d ${hours % 24}h`;
	if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
	if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
	return `${seconds}s`;
}

/** "in 4m 12s" for the future, "3s ago" for the past. */
export function formatRelative(ms: number): string {
	return ms >= 0 ? `in ${formatDuration(ms)}` : `${formatDuration(ms)} ago`;
}

/** Local wall-clock time, "2026-11-22 18:04:05", the form people compare with their own clock. */
export function formatLocalTime(date: Date): string {
	const pad = (value: number) => String(value).padStart(2, '0');
	return (
		`${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
		`${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
	);
}

/** "2026-11-22 18:04:05 (in 42m 10s)". */
export function formatTime(date: Date, now: Date): string {
	return `${formatLocalTime(date)} (${formatRelative(date.getTime() - now.getTime())})`;
}
