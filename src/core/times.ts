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
