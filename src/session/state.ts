import {refreshDelayMs, retryDelayMs} from '../core/schedule.js';
import {formatLocalTime} from '../core/times.js';
import type {RawToken, TokenType, TokenView, Verification} from '../core/types.js';
import type {SourceEntry} from '../sources/catalog.js';
import type {SourceInfo} from '../sources/types.js';

// The live session as data: what each token's slot holds, and how every event (an answer, a key, a timer) changes
// it. Pure: no timers, no I/O, time comes in with each action, so the whole machine is tested as a table of states.
// It lives above core/ because it reads the source catalog and SourceInfo (core sits below sources), and below ui/,
// which only draws it.

/** A failure as the view shows it: the sentence, what to do, and whether waiting can fix it (then it is retried). */
export interface SessionError {
	message: string;
	hint?: string;
	retryable: boolean;
}

/** Each status carries exactly what it knows: a stale slot has a token and an error; a failed one only the error. */
export type Slot =
	/** Not asked for yet: the other tab, until the user switches to it. */
	| {status: 'idle'}
	/** The first fetch is on its way; there is no token to show. */
	| {status: 'loading'}
	/**
	 * When auto-refresh is on and the token says when it expires, `nextRefreshAt` is when it is renewed. `expiredInARow`
	 * counts the fetches in a row whose token arrived already expired: they are asked again on the backoff schedule.
	 */
	| {status: 'ready'; raw: RawToken; view: TokenView; nextRefreshAt?: Date; startedAt?: Date; expiredInARow?: number}
	/**
	 * The last good token, kept on screen after a failed refresh; retried at `retryAt` when auto-refresh is on and the
	 * error can pass by itself (otherwise it waits for `r`).
	 */
	| {status: 'stale'; raw: RawToken; view: TokenView; error: SessionError; failures: number; retryAt?: Date; startedAt?: Date}
	/** No token at all; `failures` counts the failed fetches in a row (0: nothing was fetched, the input is missing). */
	| {status: 'failed'; error: SessionError; failures: number; retryAt?: Date};

/** A slot that has a token to show. */
export type SlotWithToken = Extract<Slot, {raw: RawToken}>;

export type RefreshReason = 'initial' | 'manual' | 'scheduled' | 'retry';

/** A fetch on its way: its answer counts only while it is still the slot's request (ids only grow). */
export interface PendingRequest {
	id: number;
	reason: RefreshReason;
}

export interface RefreshEvent {
	id: number;
	at: Date;
	type: TokenType;
	/**
	 * "fetch failed" while there has never been a token of this type; "refresh failed" once there was one; "pasted" for
	 * a token handed over, which was never fetched.
	 */
	what: 'fetched' | 'pasted' | 'refreshed' | 'refreshed ahead of expiry' | 'fetch failed' | 'refresh failed';
	detail: string;
	latencyMs?: number;
	expiresAt?: Date;
	/** On a refresh: the claims whose values changed (`iat`, `exp`, `jti`…; an opaque token has none), [] for the same token. */
	changed?: string[];
	/** On a refresh: the source handed back the very token it had. */
	same?: boolean;
	/** The new token's last characters, so "did it change?" has an answer without revealing it. */
	tail?: string;
	error?: SessionError;
}

export interface SessionRequest {
	audience?: string;
	scopes?: string[];
}

export interface SessionState {
	active: TokenType;
	auto: boolean;
	/** False for a token that was handed over (from the catalog): nothing is scheduled or retried. */
	refreshes: boolean;
	/** Why no ID token can be asked for (the source needs an audience and none was given), or undefined. */
	idTokenUnavailable?: string;
	slots: Record<TokenType, Slot>;
	requests: Record<TokenType, PendingRequest | undefined>;
	nextRequestId: number;
	events: RefreshEvent[];
	nextEventId: number;
	info?: SourceInfo;
	infoError?: string;
}

export type SessionAction =
	| {type: 'described'; info: SourceInfo}
	| {type: 'describeFailed'; error: string}
	/** Ask for a token now; joins the slot's request already on its way rather than sending a second one. */
	| {type: 'refresh'; slot: TokenType; reason: RefreshReason; at: Date}
	/** The slot's timer fired: a scheduled refresh for a good token, a retry for a failed one. */
	| {type: 'due'; slot: TokenType; at: Date}
	| {type: 'fetched'; slot: TokenType; request: number; raw: RawToken; view: TokenView; at: Date; startedAt?: Date}
	| {type: 'fetchFailed'; slot: TokenType; request: number; error: SessionError; at: Date}
	| {type: 'verified'; slot: TokenType; token: string; verification: Verification}
	| {type: 'switchType'; at: Date}
	| {type: 'toggleAuto'; at: Date};

/** The event log is bounded so a day-long session uses the same memory as a minute-long one. */
export const maxEvents = 50;

export const noAudience =
	'No audience was given, so there is no ID token: press s, pick the source again, and type the URL of the service it is for ' +
	'(for Cloud Run, the service URL) at "Audience for the ID token".';

/**
 * A source that takes an audience mints its ID token for it, and opens on the ID tab when one was given; one that
 * takes none (a pasted token) hands over the token it has, under its own tab.
 */
export function initialSession(entry: Pick<SourceEntry, 'inputs' | 'refreshes'>, request: SessionRequest): SessionState {
	const takesAudience = entry.inputs.includes('audience');
	return {
		active: request.audience || !takesAudience ? 'id' : 'access',
		auto: entry.refreshes,
		refreshes: entry.refreshes,
		idTokenUnavailable: takesAudience && !request.audience ? noAudience : undefined,
		slots: {id: {status: 'idle'}, access: {status: 'idle'}},
		requests: {id: undefined, access: undefined},
		nextRequestId: 1,
		events: [],
		nextEventId: 1,
	};
}

export function withToken(slot: Slot): SlotWithToken | undefined {
	return slot.status === 'ready' || slot.status === 'stale' ? slot : undefined;
}

/** When the slot's timer should fire (a scheduled refresh or a retry), or undefined: none, or a request is on its way. */
export function dueAt(state: SessionState, type: TokenType): Date | undefined {
	if (state.requests[type]) return undefined;
	const slot = state.slots[type];
	return slot.status === 'ready' ? slot.nextRefreshAt : slot.status === 'stale' || slot.status === 'failed' ? slot.retryAt : undefined;
}

export function sessionReducer(state: SessionState, action: SessionAction): SessionState {
	switch (action.type) {
		case 'described':
			return {...state, info: action.info};
		case 'describeFailed':
			return {...state, infoError: action.error};
		case 'refresh':
			return request(state, action.slot, action.reason);
		case 'due': {
			const slot = state.slots[action.slot];
			if (slot.status === 'idle' || slot.status === 'loading') return state;
			return request(state, action.slot, slot.status === 'ready' ? 'scheduled' : 'retry');
		}
		case 'fetched':
			return fetched(state, action);
		case 'fetchFailed':
			return fetchFailed(state, action);
		case 'verified': {
			const slot = withToken(state.slots[action.slot]);
			// Verification of a token that has since been replaced says nothing about the one on screen.
			if (!slot || slot.raw.token !== action.token) return state;
			return withSlot(state, action.slot, {...slot, view: {...slot.view, verification: action.verification}});
		}
		case 'switchType': {
			// A handed-over token is one kind: the other tab has nothing to show, so there is nowhere to switch to.
			if (!state.refreshes) return state;
			const active: TokenType = state.active === 'id' ? 'access' : 'id';
			const switched = {...state, active};
			return state.slots[active].status === 'idle' ? request(switched, active, 'initial') : switched;
		}
		case 'toggleAuto':
			return toggleAuto(state, action.at);
	}
}

function request(state: SessionState, type: TokenType, reason: RefreshReason): SessionState {
	if (state.requests[type]) return state;
	if (type === 'id' && state.idTokenUnavailable) {
		return withSlot(state, type, {status: 'failed', error: {message: state.idTokenUnavailable, retryable: false}, failures: 0});
	}
	const slot = state.slots[type];
	return {
		...state,
		// A good or stale token stays on screen while its successor is fetched.
		slots: withToken(slot) ? state.slots : {...state.slots, [type]: {status: 'loading'}},
		requests: {...state.requests, [type]: {id: state.nextRequestId, reason}},
		nextRequestId: state.nextRequestId + 1,
	};
}

function fetched(state: SessionState, action: Extract<SessionAction, {type: 'fetched'}>): SessionState {
	const pending = state.requests[action.slot];
	if (pending?.id !== action.request) return state;
	// A handed-over token (pasted) is one kind or the other whatever tab asked: it goes under its own, which opens.
	const type = state.refreshes ? action.slot : action.raw.type;
	const requests = {...state.requests, [action.slot]: undefined, [type]: pending};
	const moved = type === action.slot ? state : {...settled(state, action.slot, {status: 'idle'}), active: type, requests};
	const previous = withToken(moved.slots[type]);
	const ahead = pending.reason === 'scheduled' && previous?.view.expiresAt && previous.view.expiresAt.getTime() > action.at.getTime();
	const arrivedExpired = action.view.expiresAt !== null && action.view.expiresAt.getTime() <= action.at.getTime();
	const before = moved.slots[type];
	const expiredInARow = arrivedExpired ? (before.status === 'ready' ? (before.expiredInARow ?? 0) : 0) + 1 : 0;
	const delay = state.auto && state.refreshes ? refreshDelayMs(action.view, action.at, expiredInARow) : null;
	const what = previous ? (ahead ? 'refreshed ahead of expiry' : 'refreshed') : state.refreshes ? 'fetched' : 'pasted';
	const why = pending.reason === 'manual' ? 'on request (r)' : pending.reason === 'retry' ? 'after retrying' : '';
	const changed = previous ? changedClaims(previous, action) : undefined;
	const same = previous?.raw.token === action.raw.token;
	// The new token, its event and its next refresh land in one state: one redraw, not three.
	const nextRefreshAt = delay === null ? undefined : after(action.at, delay);
	const next: Slot = {status: 'ready', raw: action.raw, view: action.view, nextRefreshAt, startedAt: action.startedAt, expiredInARow};
	const event: Omit<RefreshEvent, 'id' | 'at' | 'type'> = {
		what,
		detail: why,
		// A paste took no time to fetch: it was not fetched.
		latencyMs: state.refreshes ? action.raw.latencyMs : undefined,
		expiresAt: action.view.expiresAt ?? undefined,
		changed: same ? [] : changed,
		same: previous ? same : undefined,
		tail: action.raw.token.slice(-6),
	};
	return withEvent(settled(moved, type, next), type, action.at, event);
}

/** The claims whose values differ between two tokens; an opaque token has none, so the tokens themselves are compared. */
function changedClaims(previous: SlotWithToken, action: {raw: RawToken; view: TokenView}): string[] {
	const before = previous.view.claims ?? {};
	const after = action.view.claims ?? {};
	const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
	return names.filter(name => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}

function fetchFailed(state: SessionState, action: Extract<SessionAction, {type: 'fetchFailed'}>): SessionState {
	if (state.requests[action.slot]?.id !== action.request) return state;
	const previous = state.slots[action.slot];
	const failures = (previous.status === 'stale' || previous.status === 'failed' ? previous.failures : 0) + 1;
	const delay = retryDelayMs(failures);
	// Only what can get better by itself is tried again; the rest says why once and waits for r.
	const retryAt = state.auto && state.refreshes && action.error.retryable ? after(action.at, delay) : undefined;
	const kept = withToken(previous);
	const next: Slot = kept
		? {status: 'stale', raw: kept.raw, view: kept.view, error: action.error, failures, retryAt, startedAt: kept.startedAt}
		: {status: 'failed', error: action.error, failures, retryAt};
	// The clock time of the next try, not a wait: the log line stays true while the countdown ticks towards it.
	const then = retryAt ? `next try at ${formatLocalTime(retryAt).slice(11)}` : state.refreshes ? 'not retried: press r to try again' : '';
	const detail = [action.error.message, then].filter(Boolean).join(' — ');
	const what = kept ? 'refresh failed' : 'fetch failed';
	return withEvent(settled(state, action.slot, next), action.slot, action.at, {what, detail, error: action.error});
}

/** Off drops every pending timer; on schedules each token again from now (a failed one after its backoff). */
function toggleAuto(state: SessionState, at: Date): SessionState {
	const auto = !state.auto;
	const slots = {...state.slots};
	for (const type of ['id', 'access'] as const) {
		const slot = slots[type];
		if (slot.status === 'ready') {
			const delay = auto && state.refreshes ? refreshDelayMs(slot.view, at, slot.expiredInARow) : null;
			const nextRefreshAt = delay === null ? undefined : after(at, delay);
			slots[type] = {status: 'ready', raw: slot.raw, view: slot.view, nextRefreshAt, expiredInARow: slot.expiredInARow};
		} else if (slot.status === 'stale' || slot.status === 'failed') {
			const retry = auto && state.refreshes && slot.failures > 0 && slot.error.retryable;
			slots[type] = {...slot, retryAt: retry ? after(at, retryDelayMs(slot.failures)) : undefined};
		}
	}
	return {...state, auto, slots};
}

function settled(state: SessionState, type: TokenType, slot: Slot): SessionState {
	return {...state, slots: {...state.slots, [type]: slot}, requests: {...state.requests, [type]: undefined}};
}

function withSlot(state: SessionState, type: TokenType, slot: Slot): SessionState {
	return {...state, slots: {...state.slots, [type]: slot}};
}

function withEvent(state: SessionState, type: TokenType, at: Date, fields: Omit<RefreshEvent, 'id' | 'at' | 'type'>): SessionState {
	const event: RefreshEvent = {id: state.nextEventId, at, type, ...fields};
	return {...state, events: [...state.events, event].slice(-maxEvents), nextEventId: state.nextEventId + 1};
}

function after(at: Date, ms: number): Date {
	return new Date(at.getTime() + ms);
}
