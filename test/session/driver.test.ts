import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest';
import type {RawToken} from '../../src/core/types.js';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';
import {createSource} from '../../src/sources/index.js';
import type {TokenSource} from '../../src/sources/types.js';
import {TokenSession} from '../../src/session/driver.js';
import {maxEvents, withToken, type SessionState, type Slot} from '../../src/session/state.js';
import {flush} from '../support/ink.js';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({tokenLifetimeSeconds: 3});
	process.env.GCE_METADATA_HOST = emulator.host;
});
afterAll(() => emulator.close());

/** Failed fetches in a row (a good token has none). */
const failures = (slot: Slot) => (slot.status === 'stale' || slot.status === 'failed' ? slot.failures : 0);

function until(session: TokenSession, done: (state: SessionState) => boolean, timeoutMs = 15_000): Promise<SessionState> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(
			() =>
				reject(
					new Error(
						`timed out; events: ${session
							.getState()
							.events.map(e => `${e.what} ${e.detail}`)
							.join(' | ')}`,
					),
				),
			timeoutMs,
		);
		const check = () => {
			if (!done(session.getState())) return;
			clearTimeout(timer);
			unsubscribe();
			resolve(session.getState());
		};
		const unsubscribe = session.subscribe(check);
		check();
	});
}

describe('a live session against a failing metadata server (real library, real emulator)', () => {
	it('keeps the last token stale, retries with backoff, and recovers by itself', async () => {
		const session = new TokenSession(createSource({source: 'metadata', env: {GCE_METADATA_HOST: emulator.host}}), {
			audience: 'https://faults.run.app',
		});
		await session.start();
		const first = withToken(session.getState().slots.id)!.raw.token;
		// gaxios itself retries a 500 three times, so four failed answers make one failed refresh.
		emulator.setFault('/identity', {status: 500, times: 8});
		const failed = await until(session, state => failures(state.slots.id) === 1);
		expect(failed.slots.id).toMatchObject({status: 'stale'});
		expect(withToken(failed.slots.id)!.raw.token).toBe(first);
		expect(failed.events.at(-1)).toMatchObject({what: 'refresh failed'});
		// The backoff, 2 s then 4 s; each event names the clock time of the next try.
		const nextTry = (state: typeof failed) => {
			const slot = state.slots.id;
			expect(state.events.at(-1)!.detail).toMatch(/next try at \d\d:\d\d:\d\d$/);
			return slot.status === 'stale' ? Math.round((slot.retryAt!.getTime() - state.events.at(-1)!.at.getTime()) / 1000) : undefined;
		};
		expect(nextTry(failed)).toBe(2);
		const again = await until(session, state => failures(state.slots.id) === 2);
		expect(nextTry(again)).toBe(4);
		const recovered = await until(session, state => state.slots.id.status === 'ready' && state.slots.id.raw.token !== first);
		expect(recovered.slots.id.status).not.toBe('stale');
		expect(recovered.events.at(-1)).toMatchObject({what: 'refreshed', detail: 'after retrying'});
		session.dispose();
	}, 30_000);

	it('survives a connection dropped in the middle of a refresh', async () => {
		const session = new TokenSession(createSource({source: 'metadata', env: {GCE_METADATA_HOST: emulator.host}}), {
			audience: 'https://drop.run.app',
		});
		await session.start();
		emulator.setFault('/identity', {drop: true, times: 4});
		await session.refresh('id', 'manual');
		expect(session.getState().slots.id.status).toBe('stale');
		const recovered = await until(session, state => state.slots.id.status === 'ready');
		expect(recovered.slots.id.status).toBe('ready');
		session.dispose();
	}, 30_000);

	it('keeps its event log bounded however long it runs', async () => {
		const session = new TokenSession(createSource({source: 'metadata', env: {GCE_METADATA_HOST: emulator.host}}), {
			audience: 'https://bounded.run.app',
		});
		await session.start();
		session.toggleAuto();
		for (let index = 0; index < maxEvents + 20; index++) await session.refresh('id', 'manual');
		expect(session.getState().events).toHaveLength(maxEvents);
		session.dispose();
	}, 30_000);
});

describe('a pasted token', () => {
	it('shows under its own tab, never refreshes, and has no other tab to switch to', async () => {
		const idToken = await (
			await fetch(`${emulator.url}/computeMetadata/v1/instance/service-accounts/default/identity?audience=https://pasted.run.app`, {
				headers: {'Metadata-Flavor': 'Google'},
			})
		).text();
		const session = new TokenSession(createSource({source: 'paste', token: idToken}), {});
		await session.start();
		expect(session.getState()).toMatchObject({active: 'id', auto: false});
		expect(withToken(session.getState().slots.id)!.raw.token).toBe(idToken);
		expect(session.getState().slots.id).toMatchObject({status: 'ready', nextRefreshAt: undefined});
		const before = session.getState();
		session.switchType();
		expect(session.getState()).toBe(before);
		expect(session.getState().requests).toEqual({id: undefined, access: undefined});
		session.dispose();
	});

	it('opens a pasted access token under the access tab, whichever tab asked', async () => {
		const session = new TokenSession(createSource({source: 'paste', token: `ya29.${'a'.repeat(80)}`}), {});
		await session.start();
		expect(session.getState()).toMatchObject({active: 'access', slots: {id: {status: 'idle'}, access: {status: 'ready'}}});
		expect(session.getState().events.map(event => `${event.type} ${event.what}`)).toEqual(['access pasted']);
		session.dispose();
	});
});

const start = new Date('2026-11-22T12:00:00Z');

/** An unsigned JWT is enough here: the session decodes it, and verification is handed in. */
function jwt(claims: Record<string, unknown>): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	return `${encode({alg: 'RS256', typ: 'JWT'})}.${encode(claims)}.c2ln`;
}

/**
 * A slow endpoint: every idToken() call waits until the test answers it, in any order. Each answer is a new token
 * (jti n) living `lifetimeSeconds` from when it is answered.
 */
function slowSource(lifetimeSeconds: number) {
	const calls: Array<{answer: () => string}> = [];
	const source: TokenSource = {
		id: 'key-file',
		label: 'Service-account key file',
		describe: async () => ({id: 'key-file', origin: 'test', details: [], warnings: [], idTokens: true}),
		idToken: ({audience}) =>
			new Promise<RawToken>(resolve => {
				const jti = `call-${calls.length + 1}`;
				calls.push({
					answer: () => {
						const now = Math.floor(Date.now() / 1000);
						const token = jwt({iss: 'https://accounts.google.com', aud: audience, sub: '1', jti, iat: now, exp: now + lifetimeSeconds});
						resolve({token, type: 'id', audience, fetchedAt: new Date(), latencyMs: 900});
						return token;
					},
				});
			}),
		accessToken: () => Promise.reject(new Error('not used')),
	};
	return {source, calls};
}

async function started(lifetimeSeconds: number) {
	const {source, calls} = slowSource(lifetimeSeconds);
	const session = new TokenSession(source, {audience: 'https://svc.run.app'}, {now: () => new Date()});
	const starting = session.start();
	await flush();
	calls[0]!.answer();
	await starting;
	return {session, calls, shown: () => session.getState().slots.id};
}

describe('a session against a slow endpoint (fake time)', () => {
	beforeEach(() => {
		vi.useFakeTimers({now: start, toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'Date']});
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('never lets an older answer replace a newer token when refreshes overlap', async () => {
		const {session, calls, shown} = await started(20);
		// The scheduled refresh (at 16 s) is on its way when the user presses r.
		await vi.advanceTimersByTimeAsync(16_000);
		const manual = session.refresh('id', 'manual');
		await flush();
		// The endpoint answers the newest request first, the oldest last.
		const answers: string[] = [];
		for (let index = calls.length - 1; index >= 1; index--) {
			answers.unshift(calls[index]!.answer());
			await flush();
		}
		await manual;
		expect(shown()).toMatchObject({status: 'ready', raw: {token: answers.at(-1)}});
		session.dispose();
	});

	it('joins a refresh already on its way instead of sending a second request', async () => {
		const {session, calls, shown} = await started(20);
		await vi.advanceTimersByTimeAsync(16_000);
		expect(calls).toHaveLength(2);
		let settled = false;
		const manual = session.refresh('id', 'manual').then(() => {
			settled = true;
		});
		await flush();
		expect(calls).toHaveLength(2);
		// The key press waits for the answer it joined, so "Refreshing…" stays until the token is in.
		expect(settled).toBe(false);
		const token = calls[1]!.answer();
		await manual;
		expect(shown()).toMatchObject({status: 'ready', raw: {token}});
		expect(session.getState().events.map(event => event.what)).toEqual(['fetched', 'refreshed ahead of expiry']);
		session.dispose();
	});

	it('draws r on a token already shown only with its answer when that is quick, and says it is refreshing when slow', async () => {
		const {session, calls} = await started(600);
		const frames: string[] = [];
		session.subscribe(() => frames.push(withToken(session.getState().slots.id)?.raw.token ?? 'no token'));
		// A quick answer: nothing is drawn until it is in (a "refreshing" frame first would hold the loop as it arrives).
		const quick = session.refresh('id', 'manual');
		await flush();
		expect(frames).toEqual([]);
		const token = calls[1]!.answer();
		await quick;
		expect(frames[0]).toBe(token);
		// A slow answer: after 150 ms the view is told a refresh is on its way.
		frames.length = 0;
		const slow = session.refresh('id', 'manual');
		await vi.advanceTimersByTimeAsync(100);
		expect(frames).toEqual([]);
		await vi.advanceTimersByTimeAsync(60);
		expect(frames).toEqual([token]);
		expect(session.getState().requests.id).toBeDefined();
		calls[2]!.answer();
		await slow;
		session.dispose();
	});

	it('waits for a token that lives 60 days instead of refreshing it every millisecond, then refreshes it on time', async () => {
		const {session, calls} = await started(60 * 86_400);
		await vi.advanceTimersByTimeAsync(10_000);
		expect(calls).toHaveLength(1);
		// 80 % of 60 days is 48 days: past setTimeout's 24.8-day limit, so the wait is re-armed once on the way.
		await vi.advanceTimersByTimeAsync(48 * 86_400_000 - 10_001);
		expect(calls).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(calls).toHaveLength(2);
		session.dispose();
	});
});

describe('how the session judges a failure', () => {
	it('retries what its code says can pass by itself, waits for r on the rest, and retries the unexpected', async () => {
		const {sessionError} = await import('../../src/session/driver.js');
		const {TokscopeError} = await import('../../src/core/errors.js');
		expect(sessionError(new TokscopeError('denied', 'IAM answered 403.', {hint: 'Grant it.'}))).toEqual({
			message: 'IAM answered 403.',
			hint: 'Grant it.',
			retryable: false,
		});
		expect(sessionError(new TokscopeError('timeout', 'gcloud did not finish within 20 s.')).retryable).toBe(true);
		expect(sessionError(new TokscopeError('cannot-mint', 'This source cannot mint an ID token for any audience.')).retryable).toBe(false);
		expect(sessionError(new Error('socket hang up'))).toEqual({message: 'Unexpected error: socket hang up', retryable: true});
	});

	it('shows a secret in an error as [redacted], whoever made the error', async () => {
		const {sessionError} = await import('../../src/session/driver.js');
		const secret = `ya29.${'a'.repeat(40)}`;
		expect(sessionError(new Error(`boom ${secret}`)).message).toBe('Unexpected error: boom [redacted]');
	});
});

describe('a failure the user must fix is not retried, whatever its sentence quotes', () => {
	it('a broken key file in a folder named "HTTP 503 incident" waits for r instead of retrying', async () => {
		const {mkdtemp, mkdir, rm, writeFile} = await import('node:fs/promises');
		const {tmpdir} = await import('node:os');
		const {join} = await import('node:path');
		const dir = await mkdtemp(join(tmpdir(), 'tokscope-driver-'));
		try {
			// The path is the user's words inside our sentence: reading it as a server's 503 made the session retry forever.
			const folder = join(dir, 'HTTP 503 incident');
			await mkdir(folder);
			const keyFile = join(folder, 'key.json');
			await writeFile(keyFile, '{"type": "service_account",');
			const session = new TokenSession(createSource({source: 'key-file', keyFile, env: {}}), {});
			await session.start();
			const slot = session.getState().slots.access;
			expect(slot).toMatchObject({status: 'failed', error: {retryable: false}});
			expect(slot.status === 'failed' && slot.error.message).toMatch(/HTTP 503 incident.*is not valid JSON/);
			expect(slot.status === 'failed' && slot.retryAt).toBeUndefined();
			session.dispose();
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});

	it('shows no secret the process holds, whatever shape a server put it in, and escapes once', async () => {
		const {sessionError} = await import('../../src/session/driver.js');
		const {TokscopeError} = await import('../../src/core/errors.js');
		const {forgetSecrets, rememberSecret} = await import('../../src/core/secrets.js');
		const token = 'opaque_0123456789abcdefghijklmnopqrstuvwxyz';
		rememberSecret(token);
		const swapped = `${token.slice(21)}${token.slice(0, 21)}`;
		expect(
			sessionError(new TokscopeError('rejected', `IAM answered HTTP 400: bad \\u001b ${swapped}.`, {hint: `Try ${token}`})),
		).toMatchObject({
			message: 'IAM answered HTTP 400: bad \\u001b [redacted].',
			hint: 'Try [redacted]',
		});
		forgetSecrets();
	});
});
