import {audienceWarnings} from '../../core/audience-check.js';
import {clockSkewWarning} from '../../core/skew.js';
import {formatDuration} from '../../core/times.js';
import {withToken, type SessionState, type Slot} from '../../session/state.js';
import type {NextLine} from '../components/Countdown.js';

// What the live view says about the session, read off its state: the warnings kept on screen, what comes next for the
// token, and why a copy may disappoint. Pure.

/** The warnings that stay on screen: the source's, the token's, the clock's, and the audience's own. */
export function liveWarnings(state: SessionState, forAudience: string[]): string[] {
	const slot = withToken(state.slots[state.active]);
	const skew = slot ? clockSkewWarning(slot.view, slot.raw.fetchedAt) : undefined;
	const fromSource = [...(state.info?.warnings ?? []), ...(slot?.raw.notes ?? [])];
	return [...fromSource, ...(skew ? [skew] : []), ...(state.active === 'id' ? forAudience : [])];
}

/** The audience's own warnings, as the live view lists them. */
export function audienceNotes(audience: string | undefined): string[] {
	return audience ? audienceWarnings(audience).map(warning => `audience: ${warning}`) : [];
}

/** Up to `rows` of the lines; when some do not fit, the last row says so. */
export function fitted(lines: string[], rows: number, more: (count: number) => string): string[] {
	if (lines.length <= rows) return lines;
	if (rows <= 0) return [];
	return [...lines.slice(0, rows - 1), more(lines.length - rows + 1)];
}

/** Why copying this token may not give what the user expects. */
export function copyCaution(slot: Slot, now: Date): string | undefined {
	const token = withToken(slot);
	if (!token) return undefined;
	const expiresAt = token.view.expiresAt;
	if (expiresAt && expiresAt.getTime() <= now.getTime()) {
		return `it expired ${formatDuration(now.getTime() - expiresAt.getTime())} ago and will be rejected`;
	}
	if (slot.status === 'stale') return 'it is stale (the last refresh failed)';
	return undefined;
}

/** What comes next for this token, for the line under the countdown. */
export function nextLine(state: SessionState, slot: Slot): NextLine {
	if (state.requests[state.active]) return {note: `${slot.status === 'stale' ? 'retrying' : 'refreshing'} now…`, meaning: 'muted'};
	if (!state.refreshes) return {note: 'pasted: never refreshed (paste a new one with s when it expires)', meaning: 'muted'};
	if (slot.status === 'stale') {
		if (slot.retryAt) return {label: 'refresh failed (below) — retrying in', at: slot.retryAt, meaning: 'error'};
		const note = slot.error.retryable
			? 'refresh failed (below); auto-refresh off: r tries again'
			: 'refresh failed (below): not retried — fix it, then press r';
		return {note, meaning: 'error'};
	}
	if (!state.auto) return {note: 'auto-refresh off (a turns it on)', meaning: 'muted'};
	if (slot.status === 'ready' && slot.nextRefreshAt && slot.expiredInARow) {
		// Asking again at once brings another like it: backed off as a failure is.
		return {label: 'it arrived already expired — asking again in', at: slot.nextRefreshAt, meaning: 'error'};
	}
	if (slot.status === 'ready' && slot.nextRefreshAt) return {label: 'next refresh in', at: slot.nextRefreshAt, meaning: 'muted'};
	return {note: '', meaning: 'muted'};
}
