import {describe, expect, it} from 'vitest';
import type {RawToken, TokenView} from '../../src/core/types.js';
import {sourceEntry} from '../../src/sources/catalog.js';
import {
	dueAt,
	initialSession,
	maxEvents,
	noAudience,
	sessionReducer,
	type SessionAction,
	type SessionState,
	type Slot,
} from '../../src/session/state.js';

// The session as a table of states: no timers, no I/O, no React. Time is the `at` each action carries.

const t0 = new Date('2026-11-22T12:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
/** The local clock time an event names (HH:MM:SS). */
const clock = (date: Date) =>
	[date.getHours(), date.getMinutes(), date.getSeconds()].map(value => String(value).padStart(2, '0')).join(':');

function token(name: string, issued = 0, lifetime = 20): {raw: RawToken; view: TokenView} {
	return {
		raw: {token: name, type: 'id', fetchedAt: at(issued), latencyMs: 12},
		view: {
			kind: 'jwt',
			header: null,
			claims: {jti: name},
			issuedAt: at(issued),
			expiresAt: at(issued + lifetime),
			notBefore: null,
			verification: {status: 'unverified', code: 'not-checked', reason: 'Not yet.'},
		},
	};
}

const keyFile = initialSession(sourceEntry('key-file'), {audience: 'https://svc.run.app'});
const paste = initialSession(sourceEntry('paste'), {});

function given(base: SessionState, slot: Slot, pending?: SessionState['requests']['id'], extra: Partial<SessionState> = {}): SessionState {
	return {...base, slots: {...base.slots, id: slot}, requests: {...base.requests, id: pending}, nextRequestId: 8, ...extra};
}

const first = token('first');
const second = token('second', 16);
const ready: Slot = {status: 'ready', ...first, nextRefreshAt: at(16)};
const unreachable = {message: 'The metadata server could not be reached.', retryable: true};
const refused = {message: 'Connection refused.', retryable: true};
const forbidden = {
	message: 'The caller may not mint ID tokens for sa@p.iam.gserviceaccount.com.',
	hint: 'Grant it with: gcloud …',
	retryable: false,
};
const stale: Slot = {status: 'stale', ...first, error: unreachable, failures: 1, retryAt: at(18)};
const valid = {status: 'valid', code: 'verified', reason: 'Signed by Google.'} as const;
const failed: Slot = {status: 'failed', error: unreachable, failures: 2, retryAt: at(4)};

describe('a new session', () => {
	it.each([
		[
			'a source with an audience opens on the ID token and refreshes',
			keyFile,
			{active: 'id', auto: true, refreshes: true, idTokenUnavailable: undefined},
		],
		[
			'a source without an audience opens on the access token and says why there is no ID token',
			initialSession(sourceEntry('metadata'), {}),
			{active: 'access', auto: true, idTokenUnavailable: noAudience},
		],
		[
			'a pasted token opens on its own tab and never refreshes',
			paste,
			{active: 'id', auto: false, refreshes: false, idTokenUnavailable: undefined},
		],
	])('%s', (_name, state, expected) => {
		expect(state).toMatchObject({...expected, slots: {id: {status: 'idle'}, access: {status: 'idle'}}, events: []});
	});
});

describe('the session reducer', () => {
	const cases: Array<[string, SessionState, SessionAction, Partial<Record<keyof SessionState, unknown>>]> = [
		[
			'asking for a token not yet fetched shows it loading and sends request 8',
			given(keyFile, {status: 'idle'}),
			{type: 'refresh', slot: 'id', reason: 'initial', at: at(0)},
			{
				slots: {id: {status: 'loading'}, access: {status: 'idle'}},
				requests: {id: {id: 8, reason: 'initial'}, access: undefined},
				nextRequestId: 9,
			},
		],
		[
			'refreshing a good token keeps it on screen while the new one comes',
			given(keyFile, ready),
			{type: 'refresh', slot: 'id', reason: 'manual', at: at(5)},
			{
				slots: {id: ready, access: {status: 'idle'}},
				requests: {id: {id: 8, reason: 'manual'}, access: undefined},
			},
		],
		[
			'a failed token shows loading again while it is retried',
			given(keyFile, failed),
			{type: 'refresh', slot: 'id', reason: 'manual', at: at(5)},
			{
				slots: {id: {status: 'loading'}, access: {status: 'idle'}},
			},
		],
		[
			'the answer to the current request is shown, with its next refresh at 80 % of its life',
			given(keyFile, {status: 'loading'}, {id: 7, reason: 'initial'}),
			{type: 'fetched', slot: 'id', request: 7, ...first, at: at(0)},
			{
				slots: {id: {status: 'ready', ...first, nextRefreshAt: at(16)}, access: {status: 'idle'}},
				requests: {id: undefined, access: undefined},
				events: [
					{id: 1, at: at(0), type: 'id', what: 'fetched', detail: '', latencyMs: 12, expiresAt: at(20), tail: 'first', changed: undefined},
				],
			},
		],
		[
			'a scheduled refresh before expiry says so',
			given(keyFile, ready, {id: 7, reason: 'scheduled'}),
			{type: 'fetched', slot: 'id', request: 7, ...second, at: at(16)},
			{
				slots: {id: {status: 'ready', ...second, nextRefreshAt: at(32)}, access: {status: 'idle'}},
				events: [{what: 'refreshed ahead of expiry', detail: '', changed: ['jti'], same: false, tail: 'second'}],
			},
		],
		[
			'a refresh that brings back the very same token says so',
			given(keyFile, ready, {id: 7, reason: 'manual'}),
			{type: 'fetched', slot: 'id', request: 7, ...first, at: at(5)},
			{events: [{what: 'refreshed', changed: [], same: true}]},
		],
		[
			'a manual refresh says it was asked for',
			given(keyFile, ready, {id: 7, reason: 'manual'}),
			{type: 'fetched', slot: 'id', request: 7, ...second, at: at(16)},
			{
				events: [{what: 'refreshed', detail: 'on request (r)'}],
			},
		],
		[
			'a good answer after failures clears the error and the count',
			given(keyFile, stale, {id: 7, reason: 'retry'}),
			{type: 'fetched', slot: 'id', request: 7, ...second, at: at(18)},
			{
				slots: {id: {status: 'ready', ...second, nextRefreshAt: at(32)}, access: {status: 'idle'}},
				events: [{what: 'refreshed', detail: 'after retrying'}],
			},
		],
		[
			'a pasted token is shown but never scheduled, and called a paste: it was not fetched, and took no time',
			given(paste, {status: 'loading'}, {id: 7, reason: 'initial'}),
			{type: 'fetched', slot: 'id', request: 7, ...first, at: at(0)},
			{
				slots: {id: {status: 'ready', ...first, nextRefreshAt: undefined}, access: {status: 'idle'}},
				events: [{what: 'pasted', latencyMs: undefined}],
			},
		],
		[
			'a failed refresh keeps the last token, marked stale, and retries in 2 s',
			given(keyFile, ready, {id: 7, reason: 'scheduled'}),
			{type: 'fetchFailed', slot: 'id', request: 7, error: refused, at: at(16)},
			{
				slots: {id: {status: 'stale', ...first, error: refused, failures: 1, retryAt: at(18)}, access: {status: 'idle'}},
				requests: {id: undefined, access: undefined},
				events: [{what: 'refresh failed', detail: `Connection refused. — next try at ${clock(at(18))}`}],
			},
		],
		[
			'a failure that cannot pass by itself (a 403) keeps the token stale, says why once and waits for r',
			given(keyFile, ready, {id: 7, reason: 'scheduled'}),
			{type: 'fetchFailed', slot: 'id', request: 7, error: forbidden, at: at(16)},
			{
				slots: {id: {status: 'stale', ...first, error: forbidden, failures: 1, retryAt: undefined}, access: {status: 'idle'}},
				events: [{what: 'refresh failed', detail: `${forbidden.message} — not retried: press r to try again`, error: forbidden}],
			},
		],
		[
			'the first failure before any token is "fetch failed", not "refresh failed"',
			given(keyFile, {status: 'loading'}, {id: 7, reason: 'initial'}),
			{type: 'fetchFailed', slot: 'id', request: 7, error: forbidden, at: at(0)},
			{
				slots: {id: {status: 'failed', error: forbidden, failures: 1, retryAt: undefined}, access: {status: 'idle'}},
				events: [{what: 'fetch failed'}],
			},
		],
		[
			'a pasted access token asked under the ID tab lands under its own tab, which opens',
			given(paste, {status: 'loading'}, {id: 7, reason: 'initial'}),
			{type: 'fetched', slot: 'id', request: 7, raw: {...first.raw, type: 'access'}, view: first.view, at: at(0)},
			{
				active: 'access',
				slots: {id: {status: 'idle'}, access: {status: 'ready', raw: {...first.raw, type: 'access'}}},
				requests: {id: undefined, access: undefined},
				events: [{type: 'access', what: 'pasted'}],
			},
		],
		[
			'each further failure backs off longer',
			given(keyFile, failed, {id: 7, reason: 'retry'}),
			{type: 'fetchFailed', slot: 'id', request: 7, error: refused, at: at(4)},
			{
				slots: {id: {status: 'failed', error: refused, failures: 3, retryAt: at(12)}, access: {status: 'idle'}},
				events: [{what: 'fetch failed', detail: `Connection refused. — next try at ${clock(at(12))}`}],
			},
		],
		[
			'with auto-refresh off a failure waits for r',
			given(keyFile, {status: 'loading'}, {id: 7, reason: 'initial'}, {auto: false}),
			{type: 'fetchFailed', slot: 'id', request: 7, error: refused, at: at(0)},
			{
				slots: {id: {status: 'failed', error: refused, failures: 1, retryAt: undefined}, access: {status: 'idle'}},
				events: [{detail: 'Connection refused. — not retried: press r to try again'}],
			},
		],
		[
			'the scheduled time of a good token refreshes it',
			given(keyFile, ready),
			{type: 'due', slot: 'id', at: at(16)},
			{
				requests: {id: {id: 8, reason: 'scheduled'}, access: undefined},
			},
		],
		[
			'the retry time of a failed token retries it',
			given(keyFile, stale),
			{type: 'due', slot: 'id', at: at(18)},
			{
				requests: {id: {id: 8, reason: 'retry'}, access: undefined},
			},
		],
		[
			'no ID token is asked for without an audience, and no event is logged',
			initialSession(sourceEntry('metadata'), {}),
			{type: 'refresh', slot: 'id', reason: 'manual', at: at(0)},
			{
				slots: {id: {status: 'failed', error: {message: noAudience, retryable: false}, failures: 0}, access: {status: 'idle'}},
				requests: {id: undefined, access: undefined},
				events: [],
			},
		],
		[
			'verification lands on the token it checked',
			given(keyFile, ready),
			{type: 'verified', slot: 'id', token: 'first', verification: valid},
			{
				slots: {id: {...ready, view: {...first.view, verification: valid}}, access: {status: 'idle'}},
			},
		],
		[
			'switching to a tab not yet fetched asks for its token',
			given(keyFile, ready),
			{type: 'switchType', at: at(3)},
			{
				active: 'access',
				slots: {id: ready, access: {status: 'loading'}},
				requests: {id: undefined, access: {id: 8, reason: 'initial'}},
			},
		],
		[
			'switching back to a fetched tab sends nothing',
			given({...keyFile, active: 'access'}, ready),
			{type: 'switchType', at: at(3)},
			{
				active: 'id',
				requests: {id: undefined, access: undefined},
			},
		],
		[
			'auto-refresh off drops the next refresh and any retry',
			{...given(keyFile, ready), slots: {id: ready, access: stale}},
			{type: 'toggleAuto', at: at(3)},
			{
				auto: false,
				slots: {id: {...ready, nextRefreshAt: undefined}, access: {...stale, retryAt: undefined}},
			},
		],
		[
			'auto-refresh on schedules from now: the refresh point, or the backoff',
			{...keyFile, auto: false, slots: {id: {...ready, nextRefreshAt: undefined}, access: {...stale, retryAt: undefined}}},
			{type: 'toggleAuto', at: at(3)},
			{
				auto: true,
				slots: {id: ready, access: {...stale, retryAt: at(5)}},
			},
		],
		[
			'auto-refresh on does not retry what cannot pass by itself',
			{
				...keyFile,
				auto: false,
				slots: {id: {...ready, nextRefreshAt: undefined}, access: {...stale, error: forbidden, retryAt: undefined}},
			},
			{type: 'toggleAuto', at: at(3)},
			{slots: {id: ready, access: {...stale, error: forbidden, retryAt: undefined}}},
		],
	];

	it.each(cases)('%s', (_name, state, action, expected) => {
		expect(sessionReducer(state, action)).toMatchObject(expected);
	});

	const unchanged: Array<[string, SessionState, SessionAction]> = [
		[
			'a refresh asked while one is on its way joins it',
			given(keyFile, ready, {id: 7, reason: 'scheduled'}),
			{type: 'refresh', slot: 'id', reason: 'manual', at: at(17)},
		],
		[
			'a late answer to an older request is dropped',
			given(keyFile, ready, {id: 7, reason: 'manual'}),
			{type: 'fetched', slot: 'id', request: 6, ...second, at: at(17)},
		],
		[
			'a late answer when nothing is asked is dropped',
			given(keyFile, ready),
			{type: 'fetched', slot: 'id', request: 7, ...second, at: at(17)},
		],
		[
			'a late failure of an older request is dropped',
			given(keyFile, ready, {id: 7, reason: 'manual'}),
			{type: 'fetchFailed', slot: 'id', request: 6, error: {message: 'Timed out.', retryable: true}, at: at(17)},
		],
		[
			'verification of a token since replaced is dropped',
			given(keyFile, {status: 'ready', ...second}),
			{type: 'verified', slot: 'id', token: 'first', verification: valid},
		],
		[
			'a timer firing while a request is on its way does nothing',
			given(keyFile, ready, {id: 7, reason: 'manual'}),
			{type: 'due', slot: 'id', at: at(16)},
		],
		['a timer firing for a token still loading does nothing', given(keyFile, {status: 'loading'}), {type: 'due', slot: 'id', at: at(16)}],
	];

	it.each(unchanged)('%s', (_name, state, action) => {
		expect(sessionReducer(state, action)).toBe(state);
	});

	it('keeps the event log bounded', () => {
		let state = given(keyFile, ready);
		for (let index = 0; index < maxEvents + 5; index++) {
			state = sessionReducer(state, {type: 'refresh', slot: 'id', reason: 'manual', at: at(index)});
			state = sessionReducer(state, {type: 'fetched', slot: 'id', request: state.requests.id!.id, ...first, at: at(index)});
		}
		expect(state.events).toHaveLength(maxEvents);
		expect(state.events.at(-1)!.id).toBe(maxEvents + 5);
	});
});

describe('when the driver sets a timer', () => {
	it.each([
		['a good token: at its next refresh', given(keyFile, ready), at(16)],
		['a stale token: at its retry', given(keyFile, stale), at(18)],
		['a failed token: at its retry', given(keyFile, failed), at(4)],
		['nothing while a request is on its way', given(keyFile, ready, {id: 7, reason: 'manual'}), undefined],
		['nothing for a token not asked for', keyFile, undefined],
	])('%s', (_name, state, expected) => {
		expect(dueAt(state, 'id')).toEqual(expected);
	});
});
