import {viewOfRawToken} from '../core/decode.js';
import {isTokscopeError} from '../core/errors.js';
import {redactSecrets} from '../core/redact.js';
import {refreshDelayMs, retryDelayMs} from '../core/schedule.js';
import {terminalSafe} from '../core/terminal-safe.js';
import type {RawToken, TokenView, Verification} from '../core/types.js';
import type {SourceInfo, TokenSource} from '../sources/types.js';

export type TokenType = 'id' | 'access';

export interface Slot {
	status: 'idle' | 'loading' | 'ready' | 'error';
	raw?: RawToken;
	view?: TokenView;
	/** The last good token is still shown after a failed refresh, marked stale. */
	stale: boolean;
	error?: string;
	nextRefreshAt?: Date;
	retryAt?: Date;
	failures: number;
}

export interface RefreshEvent {
	id: number;
	at: Date;
	type: TokenType;
	what: 'fetched' | 'refreshed' | 'refreshed ahead of expiry' | 'refresh failed' | 'source changed';
	detail: string;
	latencyMs?: number;
	expiresAt?: Date;
}

export interface SessionState {
	active: TokenType;
	auto: boolean;
	slots: Record<TokenType, Slot>;
	events: RefreshEvent[];
	info?: SourceInfo;
	infoError?: string;
}

export interface SessionRequest {
	audience?: string;
	scopes?: string[];
	includeEmail?: boolean;
}

export interface Clock {
	now(): Date;
}

/** The event log is bounded so a day-long session uses the same memory as a minute-long one. */
export const maxEvents = 50;

const emptySlot = (): Slot => ({status: 'idle', stale: false, failures: 0});

function sentence(error: unknown): string {
	const text = isTokscopeError(error) ? error.message : error instanceof Error ? error.message : String(error);
	return terminalSafe(redactSecrets(text));
}

/**
 * One live session with a source: fetches the ID and access tokens lazily, schedules each refresh ahead of expiry,
 * retries failures with backoff while keeping the last token (stale), and records every step as an event.
 * A plain store (subscribe/getState) so views only read it and tests drive it with fake timers.
 */
export class TokenSession {
	#state: SessionState;
	readonly #listeners = new Set<() => void>();
	readonly #timers: Record<TokenType, NodeJS.Timeout | undefined> = {id: undefined, access: undefined};
	#nextEventId = 1;
	#disposed = false;

	constructor(
		readonly source: TokenSource,
		readonly request: SessionRequest,
		private readonly clock: Clock = {now: () => new Date()},
		private readonly verify: (token: string) => Promise<Verification> = async () => ({status: 'unverified', reason: 'Not checked.'}),
	) {
		this.#state = {active: request.audience || source.id === 'paste' ? 'id' : 'access', auto: source.id !== 'paste', slots: {id: emptySlot(), access: emptySlot()}, events: []};
	}

	getState = (): SessionState => this.#state;

	subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	/** Describes the source first, so its warnings (a token_uri away from Google) are on screen before anything is sent. */
	async start(): Promise<void> {
		await this.source.describe().then(
			info => this.#update({info}),
			error => this.#update({infoError: sentence(error)}),
		);
		await this.refresh(this.#state.active, 'initial');
	}

	switchType(): void {
		const active: TokenType = this.#state.active === 'id' ? 'access' : 'id';
		this.#update({active});
		if (this.#state.slots[active].status === 'idle') void this.refresh(active, 'initial');
	}

	toggleAuto(): void {
		const auto = !this.#state.auto;
		this.#update({auto});
		for (const type of ['id', 'access'] as const) {
			if (!auto) this.#clearTimer(type);
			else if (this.#state.slots[type].status === 'ready') this.#schedule(type);
		}
	}

	async refresh(type: TokenType, reason: 'initial' | 'manual' | 'scheduled' | 'retry' = 'manual'): Promise<void> {
		if (this.#disposed) return;
		this.#clearTimer(type);
		if (type === 'id' && !this.request.audience && this.source.id !== 'paste') {
			this.#setSlot(type, {status: 'error', error: 'No audience was given, so there is no ID token: press s and enter the URL of the service it is for.'});
			return;
		}
		if (!this.#state.slots[type].raw) this.#setSlot(type, {status: 'loading'});
		let raw: RawToken;
		try {
			raw = type === 'id' ? await this.source.idToken({audience: this.request.audience ?? '', includeEmail: this.request.includeEmail}) : await this.source.accessToken({scopes: this.request.scopes});
		} catch (error) {
			if (this.#disposed) return;
			this.#fail(type, sentence(error));
			return;
		}
		if (this.#disposed) return;
		let view: TokenView;
		try {
			view = viewOfRawToken(raw);
		} catch (error) {
			this.#fail(type, sentence(error));
			return;
		}
		const previous = this.#state.slots[type];
		const ahead = reason === 'scheduled' && previous.view?.expiresAt && previous.view.expiresAt.getTime() > this.clock.now().getTime();
		const delay = this.#state.auto && this.source.id !== 'paste' ? refreshDelayMs(view, this.clock.now()) : null;
		// The new token, its event and its next refresh land in one update: one redraw, not three.
		this.#update({
			slots: {...this.#state.slots, [type]: {...previous, status: 'ready', raw, view, stale: false, error: undefined, failures: 0, retryAt: undefined, nextRefreshAt: delay === null ? undefined : new Date(this.clock.now().getTime() + delay)}},
			events: this.#withEvent(type, reason === 'initial' ? 'fetched' : ahead ? 'refreshed ahead of expiry' : 'refreshed', reason === 'manual' ? 'on request (r)' : reason === 'retry' ? 'after retrying' : '', raw),
		});
		if (delay !== null) this.#timers[type] = setTimeout(() => void this.refresh(type, 'scheduled'), delay);
		const verification = await this.verify(raw.token).catch((): Verification => ({status: 'unverified', reason: 'The signature could not be checked.'}));
		const current = this.#state.slots[type];
		if (!this.#disposed && current.raw === raw && current.view) this.#setSlot(type, {view: {...current.view, verification}});
	}

	dispose(): void {
		this.#disposed = true;
		this.#clearTimer('id');
		this.#clearTimer('access');
		this.#listeners.clear();
	}

	#fail(type: TokenType, error: string): void {
		const slot = this.#state.slots[type];
		const failures = slot.failures + 1;
		const canRetry = this.#state.auto && this.source.id !== 'paste';
		const delay = retryDelayMs(failures);
		const retryAt = canRetry ? new Date(this.clock.now().getTime() + delay) : undefined;
		this.#update({
			slots: {...this.#state.slots, [type]: {...slot, status: slot.raw ? 'ready' : 'error', stale: Boolean(slot.raw), error, failures, retryAt}},
			events: this.#withEvent(type, 'refresh failed', `${error}${retryAt ? ` — retrying in ${Math.round(delay / 1000)} s` : ''}`),
		});
		if (retryAt) this.#timers[type] = setTimeout(() => void this.refresh(type, 'retry'), delay);
	}

	#schedule(type: TokenType): void {
		const view = this.#state.slots[type].view;
		if (!view || this.source.id === 'paste') return;
		const delay = refreshDelayMs(view, this.clock.now());
		if (delay === null) return;
		this.#clearTimer(type);
		this.#setSlot(type, {nextRefreshAt: new Date(this.clock.now().getTime() + delay)});
		this.#timers[type] = setTimeout(() => void this.refresh(type, 'scheduled'), delay);
	}

	#clearTimer(type: TokenType): void {
		clearTimeout(this.#timers[type]);
		this.#timers[type] = undefined;
	}

	#withEvent(type: TokenType, what: RefreshEvent['what'], detail: string, raw?: RawToken): RefreshEvent[] {
		const event: RefreshEvent = {id: this.#nextEventId++, at: this.clock.now(), type, what, detail, latencyMs: raw?.latencyMs, expiresAt: raw ? (viewOfRawToken(raw).expiresAt ?? undefined) : undefined};
		return [...this.#state.events, event].slice(-maxEvents);
	}

	#setSlot(type: TokenType, patch: Partial<Slot>): void {
		this.#update({slots: {...this.#state.slots, [type]: {...this.#state.slots[type], ...patch}}});
	}

	#update(patch: Partial<SessionState>): void {
		if (this.#disposed) return;
		this.#state = {...this.#state, ...patch};
		for (const listener of this.#listeners) listener();
	}
}
