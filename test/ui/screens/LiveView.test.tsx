import {generateKeyPairSync, sign} from 'node:crypto';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {RawToken} from '../../../src/core/types.js';
import type {TokenSource} from '../../../src/sources/types.js';
import {LiveView} from '../../../src/ui/screens/LiveView.js';
import {TokenSession} from '../../../src/ui/session/driver.js';
import {withToken} from '../../../src/ui/session/state.js';
import {advance, flush, keys, render} from '../../support/ink.js';

const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
const start = new Date('2026-11-22T12:00:00Z');

/** Signed synchronously, so a fetch settles within the test's flush and fake time stays exact. */
function signedJwt(claims: Record<string, unknown>): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const body = `${encode({alg: 'RS256', kid: 'k', typ: 'JWT'})}.${encode(claims)}`;
	return `${body}.${sign('RSA-SHA256', Buffer.from(body), privateKey).toString('base64url')}`;
}

/** Our own TokenSource interface, answering with real signed JWTs of a given lifetime. */
function testSource(lifetimeSeconds: number, failAfter = Infinity): TokenSource & {calls: number} {
	const source = {
		id: 'key-file' as const,
		label: 'Service-account key file',
		calls: 0,
		describe: async () => ({id: 'key-file' as const, principal: 'sa@demo.iam.gserviceaccount.com', origin: 'test', details: [], warnings: [], idTokens: true as const}),
		async idToken({audience}: {audience: string}): Promise<RawToken> {
			source.calls += 1;
			if (source.calls > failAfter) throw new Error('The metadata server could not be reached (connection refused).');
			const now = Math.floor(Date.now() / 1000);
			const token = signedJwt({iss: 'https://accounts.google.com', aud: audience, azp: '1', sub: '1', email: 'sa@demo.iam.gserviceaccount.com', iat: now, exp: now + lifetimeSeconds});
			return {token, type: 'id', audience, fetchedAt: new Date(), latencyMs: 12};
		},
		async accessToken(): Promise<RawToken> {
			return {token: `ya29.${'a'.repeat(80)}`, type: 'access', scopes: ['https://www.googleapis.com/auth/cloud-platform'], expiresAt: new Date(Date.now() + 3599_000), fetchedAt: new Date(), latencyMs: 5};
		},
	};
	return source;
}

async function live(source: TokenSource, copy = vi.fn(async (_text: string, what: string) => `Copied ${what} via OSC 52.`)) {
	const session = new TokenSession(source, {audience: 'https://svc.run.app'}, {now: () => new Date()}, async () => ({status: 'valid', reason: 'Signature verified with Google’s published keys.', issuer: 'https://accounts.google.com', google: true}));
	const view = await render(<LiveView session={session} now={() => new Date()} copy={copy} onSources={() => {}} onQuit={() => {}} />);
	await act(() => session.start());
	return {...view, session, copy};
}

async function act(work: () => void) {
	work();
	await flush();
}

beforeEach(() => {
	vi.useFakeTimers({now: start, toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'Date']});
});
afterEach(() => {
	vi.useRealTimers();
});

describe('live view', () => {
	it('shows the claims with explanations, the verdict and a masked token', async () => {
		const {frame, unmount, session} = await live(testSource(3600));
		expect(frame()).toContain('✓ valid');
		expect(frame()).toMatch(/aud\s+https:\/\/svc\.run\.app\s+— Audience: who this token is for/);
		expect(frame()).toMatch(/masked\) — v reveals/);
		expect(frame()).toContain('ID fetched in 12 ms');
		session.dispose();
		await unmount();
	});

	it('counts down every second and colours nothing it should not', async () => {
		const {frame, unmount, session} = await live(testSource(60));
		expect(frame()).toContain('expires in 1m 00s');
		await advance(1000);
		expect(frame()).toContain('expires in 59s');
		await advance(10_000);
		expect(frame()).toContain('expires in 49s');
		expect(frame()).toContain('18% used');
		// The claims' times stay true while the view sits there: clock times, exp as an offset from iat.
		expect(frame()).toMatch(/iat\s+2026-11-2\d \d\d:00:00\s/);
		expect(frame()).toMatch(/exp\s+2026-11-2\d \d\d:01:00 \(iat \+ 1m 00s\)/);
		expect(frame()).not.toContain('ago');
		session.dispose();
		await unmount();
	});

	it('refreshes a 20-second token once per lifetime, ahead of expiry', async () => {
		const source = testSource(20);
		const {frame, unmount, session} = await live(source);
		expect(frame()).toContain('next refresh in 16s');
		await advance(15_000);
		expect(source.calls).toBe(1);
		await advance(1000);
		expect(source.calls).toBe(2);
		expect(frame()).toContain('ID refreshed ahead of expiry');
		await advance(16_000);
		expect(source.calls).toBe(3);
		session.dispose();
		await unmount();
	});

	it('keeps the last token marked stale on failure and retries with visible backoff', async () => {
		const source = testSource(20, 1);
		const {frame, unmount, session} = await live(source);
		await advance(16_000);
		expect(frame()).toContain('STALE');
		expect(frame()).toContain('refresh failed: The metadata server could not be reached (connection refused).');
		expect(frame()).toContain('retrying in 2s');
		expect(frame()).toMatch(/aud\s+https:\/\/svc\.run\.app/);
		await advance(2000);
		expect(frame()).toContain('retrying in 4s');
		session.dispose();
		await unmount();
	});

	it('answers the keys: copy without showing the token, reveal, switch, help, auto-refresh', async () => {
		const {frame, press, unmount, session, copy} = await live(testSource(3600));
		const token = withToken(session.getState().slots.id)!.raw.token;
		await press('c');
		expect(copy).toHaveBeenCalledWith(token, 'the ID token');
		expect(frame()).toContain('Copied the ID token via OSC 52.');
		expect(frame()).not.toContain(token.slice(20, 60));
		await press('h');
		expect(copy).toHaveBeenLastCalledWith(`Authorization: Bearer ${token}`, expect.any(String));
		await press('u');
		expect(copy).toHaveBeenLastCalledWith(`curl -H 'Authorization: Bearer ${token}' 'https://svc.run.app'`, expect.any(String));
		await press('j');
		expect(JSON.parse(copy.mock.lastCall![0])).toMatchObject({aud: 'https://svc.run.app'});
		await press('v');
		expect(frame().replaceAll('\n', '')).toContain(token.slice(0, 60));
		await press(keys.tab);
		expect(frame()).toContain('[access token]');
		expect(frame()).toContain('An opaque access token has no claims to read');
		await press('?');
		expect(frame()).toContain('copy `Authorization: Bearer …`');
		expect(frame()).toMatch(/checked by\s+the receiver, with Google’s keys\s+Google, on each API call/);
		await press('?');
		await press('a');
		expect(frame()).toContain('Auto-refresh off.');
		session.dispose();
		await unmount();
	});
});
