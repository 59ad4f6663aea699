import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';
import {createSource} from '../../src/sources/index.js';
import {maxEvents, TokenSession, type SessionState} from '../../src/ui/session.js';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({tokenLifetimeSeconds: 3});
	process.env.GCE_METADATA_HOST = emulator.host;
});
afterAll(() => emulator.close());

function until(session: TokenSession, done: (state: SessionState) => boolean, timeoutMs = 15_000): Promise<SessionState> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`timed out; events: ${session.getState().events.map(e => `${e.what} ${e.detail}`).join(' | ')}`)), timeoutMs);
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
		const session = new TokenSession(createSource({source: 'metadata', env: {GCE_METADATA_HOST: emulator.host}}), {audience: 'https://faults.run.app'});
		await session.start();
		const first = session.getState().slots.id.raw!.token;
		// gaxios itself retries a 500 three times, so four failed answers make one failed refresh.
		emulator.setFault('/identity', {status: 500, times: 8});
		const failed = await until(session, state => state.slots.id.failures === 1);
		expect(failed.slots.id).toMatchObject({stale: true, status: 'ready'});
		expect(failed.slots.id.raw!.token).toBe(first);
		expect(failed.events.at(-1)).toMatchObject({what: 'refresh failed'});
		expect(failed.events.at(-1)!.detail).toMatch(/retrying in 2 s$/);
		const again = await until(session, state => state.slots.id.failures === 2);
		expect(again.events.at(-1)!.detail).toMatch(/retrying in 4 s$/);
		const recovered = await until(session, state => state.slots.id.failures === 0 && state.slots.id.raw!.token !== first);
		expect(recovered.slots.id.stale).toBe(false);
		expect(recovered.events.at(-1)).toMatchObject({what: 'refreshed', detail: 'after retrying'});
		session.dispose();
	}, 30_000);

	it('survives a connection dropped in the middle of a refresh', async () => {
		const session = new TokenSession(createSource({source: 'metadata', env: {GCE_METADATA_HOST: emulator.host}}), {audience: 'https://drop.run.app'});
		await session.start();
		emulator.setFault('/identity', {drop: true, times: 4});
		await session.refresh('id', 'manual');
		expect(session.getState().slots.id.stale).toBe(true);
		const recovered = await until(session, state => state.slots.id.failures === 0 && !state.slots.id.stale);
		expect(recovered.slots.id.status).toBe('ready');
		session.dispose();
	}, 30_000);

	it('keeps its event log bounded however long it runs', async () => {
		const session = new TokenSession(createSource({source: 'metadata', env: {GCE_METADATA_HOST: emulator.host}}), {audience: 'https://bounded.run.app'});
		await session.start();
		session.toggleAuto();
		for (let index = 0; index < maxEvents + 20; index++) await session.refresh('id', 'manual');
		expect(session.getState().events).toHaveLength(maxEvents);
		session.dispose();
	}, 30_000);
});

describe('a pasted token', () => {
	it('shows under its own tab, never refreshes, and the other tab points to it', async () => {
		const idToken = await (await fetch(`${emulator.url}/computeMetadata/v1/instance/service-accounts/default/identity?audience=https://pasted.run.app`, {headers: {'Metadata-Flavor': 'Google'}})).text();
		const session = new TokenSession(createSource({source: 'paste', token: idToken}), {});
		await session.start();
		expect(session.getState()).toMatchObject({active: 'id', auto: false});
		expect(session.getState().slots.id.raw!.token).toBe(idToken);
		expect(session.getState().slots.id.nextRefreshAt).toBeUndefined();
		session.switchType();
		await until(session, state => state.slots.access.status === 'error');
		expect(session.getState().slots.access.error).toBe('The pasted token is an ID token, not an access token: press tab to see it.');
		expect(session.getState().slots.access.retryAt).toBeUndefined();
		session.dispose();
	});
});
