import {viewOfRawToken} from '../../core/decode.js';
import {isTokscopeError} from '../../core/errors.js';
import {redactSecrets} from '../../core/redact.js';
import {timerDelayMs} from '../../core/schedule.js';
import {visibleOnce} from '../../core/terminal-safe.js';
import type {RawToken, TokenView, Verification} from '../../core/types.js';
import {sourceEntry} from '../../sources/catalog.js';
import type {TokenSource} from '../../sources/types.js';
import {
	dueAt,
	initialSession,
	sessionReducer,
	type PendingRequest,
	type RefreshReason,
	type SessionAction,
	type SessionError,
	type SessionRequest,
	type SessionState,
	type TokenType,
	withToken,
} from './state.js';

export interface Clock {
	now(): Date;
}

const types = ['id', 'access'] as const;

/**
 * A refresh of a token already on screen is drawn only when its answer is slow: a frame drawn at once (the whole view,
 * for one "refreshing now…") would hold the event loop while the answer arrives, and `r` would wait for two frames
 * instead of one (npm run bench, "r → refreshed claims").
 */
const drawRefreshAfterMs = 150;

function sentence(error: unknown): string {
	const text = isTokscopeError(error) ? error.message : error instanceof Error ? error.message : String(error);
	// The sources made what they quote terminal-safe: escaped once here, with no secret left in it.
	return visibleOnce(redactSecrets(text));
}

/** How io/ and the sources word a failure that can pass by itself, for errors whose maker did not say. */
const transient = new RegExp(
	[
		'did not (answer|finish)[^.]* within',
		'timed out',
		'refused the connection',
		'closed the connection',
		'cannot be reached',
		'could not be reached',
		'HTTP (5\\d\\d|429)',
	].join('|'),
);

/**
 * The failure as the session keeps it. The source says whether waiting can help where it knows (TokscopeError's
 * `retryable`); a TokscopeError that does not say is about something the user must fix (a missing file, a source
 * that cannot mint that token) unless its words are a timeout's; anything unexpected is retried, with backoff.
 */
export function sessionError(error: unknown): SessionError {
	const message = sentence(error);
	const hint = isTokscopeError(error) && error.hint ? visibleOnce(redactSecrets(error.hint)) : undefined;
	const retryable = isTokscopeError(error) ? (error.retryable ?? transient.test(message)) : true;
	return {message, hint, retryable};
}

/**
 * Runs the session's effects: the reducer (state.ts) decides, this only fetches, verifies and keeps one timer per
 * token. Which request to send and when a timer fires are read off the state after each action, so the driver holds
 * no second copy of the truth. A plain store (subscribe/getState) so views only read it.
 */
export class TokenSession {
	#state: SessionState;
	readonly #listeners = new Set<() => void>();
	readonly #timers: Record<TokenType, {at: number; timer: NodeJS.Timeout} | undefined> = {id: undefined, access: undefined};
	/** Settles when the request and its verification are done: a manual refresh that joins one waits for it. */
	readonly #inFlight = new Map<number, Promise<void>>();
	#disposed = false;
	#drawLater: NodeJS.Timeout | undefined;

	constructor(
		readonly source: TokenSource,
		readonly request: SessionRequest,
		private readonly clock: Clock = {now: () => new Date()},
		private readonly verify: (token: string) => Promise<Verification> = async () => ({status: 'unverified', reason: 'Not checked.'}),
	) {
		this.#state = initialSession(sourceEntry(source.id), request);
	}

	getState = (): SessionState => this.#state;

	subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	/** A source whose file may point away from Google is described first, so its warnings are on screen before anything is sent. */
	async start(): Promise<void> {
		const describing = this.source.describe().then(
			info => this.#dispatch({type: 'described', info}),
			error => this.#dispatch({type: 'describeFailed', error: sentence(error)}),
		);
		if (sourceEntry(this.source.id).describeFirst) await describing;
		await Promise.all([describing, this.refresh(this.#state.active, 'initial')]);
	}

	/** Asks for the token now, or joins the request already on its way; settles when that answer is in. */
	refresh(type: TokenType, reason: RefreshReason = 'manual'): Promise<void> {
		this.#dispatch({type: 'refresh', slot: type, reason, at: this.clock.now()});
		return this.#settled(type);
	}

	switchType(): void {
		this.#dispatch({type: 'switchType', at: this.clock.now()});
	}

	toggleAuto(): void {
		this.#dispatch({type: 'toggleAuto', at: this.clock.now()});
	}

	dispose(): void {
		this.#disposed = true;
		clearTimeout(this.#drawLater);
		for (const type of types) clearTimeout(this.#timers[type]?.timer);
		this.#listeners.clear();
	}

	#settled(type: TokenType): Promise<void> {
		const pending = this.#state.requests[type];
		return (pending && this.#inFlight.get(pending.id)) ?? Promise.resolve();
	}

	#dispatch(action: SessionAction): void {
		if (this.#disposed) return;
		const before = this.#state;
		this.#state = sessionReducer(before, action);
		for (const type of types) {
			const pending = this.#state.requests[type];
			if (pending && pending !== before.requests[type]) this.#send(type, pending);
			this.#syncTimer(type);
		}
		if (this.#state === before) return;
		clearTimeout(this.#drawLater);
		this.#drawLater = undefined;
		if (action.type === 'refresh' && withToken(before.slots[action.slot])) {
			this.#drawLater = setTimeout(() => this.#notify(), drawRefreshAfterMs);
			return;
		}
		this.#notify();
	}

	#notify(): void {
		this.#drawLater = undefined;
		for (const listener of this.#listeners) listener();
	}

	#send(type: TokenType, pending: PendingRequest): void {
		const work = this.#fetch(type, pending.id).finally(() => this.#inFlight.delete(pending.id));
		this.#inFlight.set(pending.id, work);
	}

	async #fetch(type: TokenType, request: number): Promise<void> {
		let raw: RawToken;
		let view: TokenView;
		const startedAt = this.clock.now();
		try {
			raw = await this.#ask(type);
			view = viewOfRawToken(raw);
		} catch (error) {
			this.#dispatch({type: 'fetchFailed', slot: type, request, error: sessionError(error), at: this.clock.now()});
			return;
		}
		this.#dispatch({type: 'fetched', slot: type, request, raw, view, at: this.clock.now(), startedAt});
		// A handed-over token lands under its own type, whichever tab asked.
		const shown = this.#state.slots[raw.type === type || this.#state.refreshes ? type : raw.type];
		// A late answer the reducer dropped is not worth verifying.
		if (this.#disposed || shown.status !== 'ready' || shown.raw !== raw) return;
		const verification = await this.verify(raw.token).catch((): Verification => ({
			status: 'unverified',
			reason: 'The signature could not be checked.',
		}));
		this.#dispatch({type: 'verified', slot: this.#state.refreshes ? type : raw.type, token: raw.token, verification});
	}

	/** A handed-over token (pasted) is one kind or the other: asked under the wrong tab, the other is asked. */
	async #ask(type: TokenType): Promise<RawToken> {
		const {audience, scopes} = this.request;
		const ask = (kind: TokenType) => (kind === 'id' ? this.source.idToken({audience: audience ?? ''}) : this.source.accessToken({scopes}));
		if (this.#state.refreshes) return ask(type);
		return ask(type).catch(() => ask(type === 'id' ? 'access' : 'id'));
	}

	/** One timer per token, at the time the state says; re-armed in steps where setTimeout cannot wait that long. */
	#syncTimer(type: TokenType): void {
		const due = dueAt(this.#state, type)?.getTime();
		if (this.#timers[type]?.at === due) return;
		clearTimeout(this.#timers[type]?.timer);
		this.#timers[type] = undefined;
		if (due !== undefined) this.#arm(type, due);
	}

	#arm(type: TokenType, at: number): void {
		const wait = at - this.clock.now().getTime();
		const delay = timerDelayMs(wait);
		const timer = setTimeout(() => {
			if (delay < wait) return this.#arm(type, at);
			this.#timers[type] = undefined;
			this.#dispatch({type: 'due', slot: type, at: this.clock.now()});
		}, delay);
		this.#timers[type] = {at, timer};
	}
}
