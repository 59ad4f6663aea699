import {generateKeyPairSync, sign} from 'node:crypto';
import {afterEach, beforeEach, describe, expect, it, onTestFinished, vi} from 'vitest';
import {TokscopeError} from '../../../src/core/errors.js';
import type {RawToken, Verification} from '../../../src/core/types.js';
import type {TokenSource} from '../../../src/sources/types.js';
import {LiveView} from '../../../src/ui/screens/LiveView.js';
import type {DoctorReport} from '../../../src/doctor/report.js';
import type {LiveServices, TryItRequest} from '../../../src/ui/services.js';
import {TokenSession} from '../../../src/session/driver.js';
import {withToken} from '../../../src/session/state.js';
import {advance, keys, render, settle} from '../../support/ink.js';

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
		describe: async () => ({
			id: 'key-file' as const,
			principal: 'sa@demo.iam.gserviceaccount.com',
			origin: 'test',
			details: [],
			warnings: [],
			idTokens: true as const,
		}),
		async idToken({audience}: {audience: string}): Promise<RawToken> {
			source.calls += 1;
			if (source.calls > failAfter) throw new Error('The metadata server could not be reached (connection refused).');
			const now = Math.floor(Date.now() / 1000);
			const token = signedJwt({
				iss: 'https://accounts.google.com',
				aud: audience,
				azp: '1',
				sub: '1',
				email: 'sa@demo.iam.gserviceaccount.com',
				iat: now,
				exp: now + lifetimeSeconds,
			});
			return {token, type: 'id', audience, fetchedAt: new Date(), latencyMs: 12};
		},
		async accessToken(): Promise<RawToken> {
			return {
				token: `ya29.${'a'.repeat(80)}`,
				type: 'access',
				scopes: ['https://www.googleapis.com/auth/cloud-platform'],
				expiresAt: new Date(Date.now() + 3599_000),
				fetchedAt: new Date(),
				latencyMs: 5,
			};
		},
	};
	return source;
}

interface LiveOptions {
	copy?: ReturnType<typeof copier>;
	verification?: Verification;
	size?: {columns: number; rows: number};
	services?: LiveServices;
	audience?: string;
	onSources?: (pendingKeys?: string) => void;
}

const fromGoogle: Verification = {
	status: 'valid',
	code: 'verified',
	reason: 'Signature verified with Google’s published keys.',
	issuer: 'https://accounts.google.com',
	google: true,
};

const copier = () => vi.fn(async (_text: string, what: string) => `Copied ${what} via OSC 52.`);

async function live(
	source: TokenSource,
	{copy = copier(), size, services, audience = 'https://svc.run.app', onSources = () => {}, verification = fromGoogle}: LiveOptions = {},
) {
	const session = new TokenSession(source, {audience}, {now: () => new Date()}, async () => verification);
	const view = await render(
		<LiveView session={session} now={() => new Date()} copy={copy} onSources={onSources} onQuit={() => {}} services={services} />,
		size,
	);
	onTestFinished(() => session.dispose());
	await act(() => session.start());
	return {...view, session, copy};
}

/** Work that changes the screen (a refresh, a session starting), done inside React's act. */
async function act(work: () => unknown) {
	await settle(async () => {
		await work();
	});
}

beforeEach(() => {
	vi.useFakeTimers({now: start, toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'Date']});
});
afterEach(() => {
	vi.useRealTimers();
});

describe('live view', () => {
	it('shows the claims with explanations, the verdict and a masked token', async () => {
		const {frame, press} = await live(testSource(3600));
		expect(frame()).toContain('✓ valid');
		expect(frame()).toMatch(/❯ iss\s+https:\/\/accounts\.google\.com/);
		expect(frame()).toMatch(/ {2}aud\s+https:\/\/svc\.run\.app/);
		expect(frame()).toContain('iss: Issuer: who signed this token');
		await press(keys.down);
		expect(frame()).toMatch(/❯ aud\s+https:\/\/svc\.run\.app/);
		// The whole explanation, wrapped below the table, never cut.
		expect(frame().replaceAll(/\s+/g, ' ')).toContain(
			'aud: Audience: who this token is for; the receiving service (for Cloud Run, its URL) must reject any other audience.',
		);
		expect(frame()).toMatch(/masked\) — v reveals/);
		expect(frame()).toContain('ID fetched in 12 ms');
	});

	it('counts down every second and colours nothing it should not', async () => {
		const {frame} = await live(testSource(60), {size: {columns: 100, rows: 30}});
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
	});

	it('refreshes a 20-second token once per lifetime, ahead of expiry', async () => {
		const source = testSource(20);
		const {frame} = await live(source);
		expect(frame()).toContain('next refresh in 16s');
		await advance(15_000);
		expect(source.calls).toBe(1);
		await advance(1000);
		expect(source.calls).toBe(2);
		expect(frame()).toContain('ID refreshed ahead of expiry');
		await advance(16_000);
		expect(source.calls).toBe(3);
	});

	it('keeps the last token marked stale on failure and retries with visible backoff', async () => {
		const source = testSource(20, 1);
		const {frame} = await live(source);
		await advance(16_000);
		expect(frame()).toContain('STALE');
		expect(frame()).toContain('The metadata server could not be reached (connection refused).');
		expect(frame()).toContain('retrying in 2s');
		expect(frame()).toMatch(/aud\s+https:\/\/svc\.run\.app/);
		await advance(2000);
		expect(frame()).toContain('retrying in 4s');
	});

	it('answers the keys: copy without showing the token, reveal, switch, help, auto-refresh', async () => {
		const {frame, press, session, copy} = await live(testSource(3600));
		const token = withToken(session.getState().slots.id)!.raw.token;
		await press('c');
		expect(copy).toHaveBeenCalledWith(token, 'the ID token');
		expect(frame()).toContain('Copied the ID token via OSC 52.');
		expect(frame()).not.toContain(token.slice(20, 60));
		await press('h');
		expect(copy).toHaveBeenLastCalledWith(`Authorization: Bearer ${token}`, expect.any(String));
		await press('u');
		expect(copy).toHaveBeenLastCalledWith(`curl -H 'Authorization: Bearer ${token}' -- https://svc.run.app`, expect.any(String));
		await press('j');
		expect(JSON.parse(copy.mock.lastCall![0])).toMatchObject({aud: 'https://svc.run.app'});
		await press('v');
		expect(frame().replaceAll('\n', '')).toContain(token.slice(0, 60));
		await press(keys.tab);
		expect(frame()).toContain('[access token]');
		expect(frame()).toContain('An opaque access token has no claims to read');
		await press('?');
		expect(frame()).toContain('copy `Authorization: Bearer …`');
		await press(keys.pageDown);
		await press(keys.pageDown);
		expect(frame()).toContain('In a pane: ↑/↓ and PgUp/PgDn scroll, esc closes it, q quits.');
		await press('?');
		await press('a');
		expect(frame()).toContain('Auto-refresh off.');
	});
});

/** A source whose every fetch fails with the given error (after `okCalls` good ones). */
function failingSource(error: Error, okCalls = 0): TokenSource & {calls: number} {
	const good = testSource(20);
	const source = {
		...good,
		calls: 0,
		async idToken(request: {audience: string}): Promise<RawToken> {
			source.calls += 1;
			if (source.calls > okCalls) throw error;
			return good.idToken(request);
		},
	};
	return source;
}

const forbidden = () =>
	new TokscopeError(
		'denied',
		'The caller may not mint ID tokens for runner@proj.iam.gserviceaccount.com: it needs ' +
			'roles/iam.serviceAccountOpenIdTokenCreator on that service account (IAM answered 403).',
		{
			hint:
				'Grant it with: gcloud iam service-accounts add-iam-policy-binding ' +
				'runner@proj.iam.gserviceaccount.com --member=user:YOU --role=roles/iam.serviceAccountOpenIdTokenCreator',
		},
	);

/** Ink holds a lone ESC back a moment, in case an escape sequence follows. */
async function escape(press: (input: string) => Promise<void>) {
	await press(keys.escape);
	await advance(100);
}

function lines(frame: string): string[] {
	return frame.split('\n');
}

describe('live view: a frame that fits the terminal', () => {
	const sizes = [
		{columns: 60, rows: 16},
		{columns: 80, rows: 24},
	];
	const states: Array<[string, (view: Awaited<ReturnType<typeof live>>) => Promise<void>]> = [
		['at rest', async () => {}],
		['with the token revealed', async ({press}) => press('v')],
		['after a 403 that cannot fix itself', async () => advance(16_000)],
		['with help open', async ({press}) => press('?')],
		['with the details open', async ({press}) => press('d')],
		['on the access token', async ({press}) => press(keys.tab)],
		['with try it answered, and probed', async ({press}) => (await press('x'), press('p'))],
		['asking the URL to try the access token with', async ({press}) => (await press(keys.tab), press('x'))],
	];
	for (const size of sizes) {
		it.each(states)(
			`at ${size.columns}×${size.rows}, %s: never taller than the terminal, header and footer on screen`,
			async (_name, reach) => {
				const services = {tryIt: fakeTryIt()};
				const view = await live(failingSource(forbidden(), 1), {size, audience: 'https://svc.run.app/with/a/path', services});
				await reach(view);
				const shown = lines(view.frame());
				expect(shown.length).toBeLessThanOrEqual(size.rows);
				expect(shown.every(line => line.length <= size.columns)).toBe(true);
				expect(shown.at(-1)).toMatch(/\? help q quit\s*$/);
			},
		);
	}

	it('at 80×24 shows a 403 in full with its fix, keeps the audience warning, and points to the details', async () => {
		const {frame, press} = await live(failingSource(forbidden(), 1), {
			size: {columns: 80, rows: 24},
			audience: 'https://svc.run.app/path',
		});
		await advance(16_000);
		const text = frame().replaceAll(/\s+/g, ' ');
		expect(text).toContain('it needs roles/iam.serviceAccountOpenIdTokenCreator on that service account (IAM answered 403).');
		expect(text).toContain('--role=roles/iam.serviceAccountOpenIdTokenCreator');
		expect(text).toContain('not retried');
		expect(frame()).toContain('⚠ audience: A Cloud Run audience is the service URL without a path');
		await press('d');
		expect(frame()).toContain('The last refresh failed');
	});

	it('reveals a long token without growing the frame: in its own pane when the table cannot fold enough', async () => {
		const {frame, press, session} = await live(testSource(3600), {size: {columns: 60, rows: 16}});
		const token = withToken(session.getState().slots.id)!.raw.token;
		await press('v');
		expect(lines(frame()).length).toBeLessThanOrEqual(16);
		expect(frame()).toContain('The token, revealed');
		expect(frame()).toContain(token.slice(0, 60));
		await escape(press);
		expect(frame()).toContain('v reveals');
	});
});

describe('live view: what it knows, one key away', () => {
	it('shows who is calling, how, and the token header in the details pane', async () => {
		const source = {
			...testSource(3600),
			describe: async () => ({
				id: 'impersonate' as const,
				principal: 'runner@proj.iam.gserviceaccount.com',
				caller: 'alice@example.com',
				projectId: 'proj',
				origin: 'IAM Credentials acting as runner@proj.iam.gserviceaccount.com, called by alice@example.com',
				credentialType: 'authorized_user',
				details: ['Skipped: GOOGLE_APPLICATION_CREDENTIALS is not set.'],
				warnings: [],
				idTokens: true as const,
			}),
		};
		const {frame, press} = await live(source, {size: {columns: 80, rows: 40}});
		expect(lines(frame())[0]).toContain('runner@proj.iam.gserviceaccount.com ← called by alice@example.com');
		await press('d');
		const text = frame();
		expect(text).toContain('principal: runner@proj.iam.gserviceaccount.com');
		expect(text).toContain('caller: alice@example.com');
		expect(text).toContain('project: proj');
		expect(text).toContain('file type: authorized_user');
		expect(text).toContain('Skipped: GOOGLE_APPLICATION_CREDENTIALS is not set.');
		expect(text).toMatch(/alg: RS256 — the signature algorithm/);
		expect(text).toMatch(/kid: k — which of the issuer’s published keys/);
		await escape(press);
		expect(frame()).toContain('events (e shows them all)');
	});

	it('asks tokeninfo about the access token on request and explains its answer in words', async () => {
		const tokenInfo = vi.fn(async () => ({
			endpoint: 'http://127.0.0.1:1/tokeninfo',
			fields: {
				scope: 'https://www.googleapis.com/auth/cloud-platform openid',
				expires_in: '3599',
				email: 'sa@demo.iam.gserviceaccount.com',
				azp: '123',
			},
		}));
		const {frame, press} = await live(testSource(3600), {size: {columns: 80, rows: 30}, services: {tokenInfo}});
		await press(keys.tab);
		await press('d');
		expect(frame()).toContain('Press t to ask tokeninfo');
		expect(tokenInfo).not.toHaveBeenCalled();
		await press('t');
		expect(tokenInfo).toHaveBeenCalledWith(`ya29.${'a'.repeat(80)}`);
		expect(frame()).toContain('It grants 2 scopes:');
		expect(frame()).toContain('It acts as sa@demo.iam.gserviceaccount.com.');
		expect(frame()).toContain('issued to the OAuth client 123');
	});

	it('shows the wire for the current token, and the event log in full with one event opened', async () => {
		const exchanges = [
			{
				id: 1,
				startedAt: start,
				method: 'POST',
				url: 'http://127.0.0.1:1/token',
				status: 200,
				latencyMs: 9,
				requestHeaders: ['content-type: application/x-www-form-urlencoded'],
				requestBody: 'grant_type=…&assertion=[redacted]',
				responseBody: '{"id_token":"[redacted]"}',
			},
		];
		const wire = {between: vi.fn(() => exchanges)};
		const {frame, press} = await live(testSource(20), {size: {columns: 120, rows: 24}, services: {wire}});
		await press('w');
		expect(frame()).toContain('POST http://127.0.0.1:1/token');
		expect(frame()).toContain('assertion=[redacted]');
		await escape(press);
		await advance(16_000);
		await press('e');
		expect(frame()).toMatch(/ID refreshed ahead of expiry in 12 ms.* · …\S+ · changed (iat, exp|exp, iat)/);
		await press(keys.enter);
		expect(frame()).toMatch(/claims that changed: (iat, exp|exp, iat)/);
		expect(frame()).toMatch(/the new token ends in …/);
	});

	it('shows the comparison at any size, one key away', async () => {
		const {frame, press} = await live(testSource(3600), {size: {columns: 80, rows: 24}});
		expect(frame()).not.toContain('checked by');
		await press('i');
		// The tokens on screen, both of them: the access token is fetched when the comparison opens.
		expect(frame()).toContain('checked by  anyone, with Google’s published keys: ✓ valid');
		expect(frame()).toMatch(/lifetime {4}1h 00m: iat \d\d:\d\d:00 → exp \d\d:\d\d:00/);
		expect(frame()).toMatch(/access token\n {2}format {6}opaque, 85 chars \(ya29\.…\): nothing in it to decode/);
	});
});

/** doctor's report for a refused audience, as `diagnose` returns it; with --probe, the table of audiences tried. */
function rejected(request: TryItRequest): DoctorReport {
	const probes = request.probe
		? [
				{audience: 'https://svc.run.app/with/a/path', status: 401, accepted: false},
				{audience: 'https://svc.run.app', status: 200, accepted: true},
			]
		: undefined;
	return {
		url: request.url,
		method: 'GET',
		status: 401,
		accepted: false,
		target: {kind: 'cloud-run'},
		token: {
			kind: 'google-id-token',
			audience: 'https://svc.run.app/with/a/path',
			issuer: 'https://accounts.google.com',
			principal: 'sa@demo.iam.gserviceaccount.com',
			expiresAt: null,
		},
		causes: [
			{
				code: 'audience-mismatch',
				sentence: 'The ID token’s aud has a path; Cloud Run compares it with the service URL.',
				fix: 'tokscope print-identity-token --audiences=https://svc.run.app',
			},
			{code: 'unknown', sentence: 'Something else refused the call.', fix: null},
		],
		...(probes ? {probes} : {}),
		evidence: {
			wwwAuthenticate: 'Bearer error="invalid_token" error_description="The access token could not be verified"',
			maskedToken: 'eyJhbGci…abcd (800 chars, masked)',
		},
	};
}

const fakeTryIt = () => vi.fn(async (request: TryItRequest) => rejected(request));

describe('live view: try it', () => {
	it('calls the audience with the ID token and shows doctor’s verdict and ranked causes; p probes audiences', async () => {
		const tryIt = fakeTryIt();
		const {frame, press, session} = await live(testSource(3600), {size: {columns: 100, rows: 40}, services: {tryIt}});
		expect(lines(frame()).at(-1)).toContain('x try');
		const token = withToken(session.getState().slots.id)!.raw.token;
		await press('x');
		const url = 'https://svc.run.app';
		expect(tryIt).toHaveBeenCalledWith({url, token, source: session.source, audience: url, probe: false});
		const text = frame();
		expect(text).toContain('Try it, called — https://svc.run.app');
		expect(text).toContain('✗ rejected: HTTP 401 for GET https://svc.run.app (Cloud Run)');
		expect(text).toMatch(/WWW-Authenticate\s+Bearer error="invalid_token"/);
		expect(text).toContain('1. audience-mismatch: The ID token’s aud has a path');
		// The fix in the live view's keys, rather than the command doctor prints.
		expect(text).toContain('here: p probes which audience the service accepts; m then goes live with it.');
		expect(text).toContain('2. unknown: Something else refused the call.');
		expect(text).not.toContain(token.slice(10, 50));
		await press('p');
		expect(tryIt).toHaveBeenLastCalledWith(expect.objectContaining({probe: true, url: 'https://svc.run.app'}));
		expect(frame()).toContain('Try it, probed — https://svc.run.app');
		expect(frame()).toContain('Probe: which audience the service accepts');
		expect(frame()).toMatch(/200 ✓\s+https:\/\/svc\.run\.app/);
		expect(frame()).toContain('→ mint for https://svc.run.app');
		await escape(press);
		expect(frame()).toContain('events (e shows them all)');
		await press('?');
		expect(frame().replaceAll(/\s+/g, ' ')).toContain('x try it: call the audience with this token');
		expect(frame().replaceAll(/\s+/g, ' ')).toContain('In try it (x): p probes which audience the service accepts');
	});

	it('asks a URL for the access token, prefilled with the last one, and calls it on enter', async () => {
		const tryIt = fakeTryIt();
		const {frame, press} = await live(testSource(3600), {size: {columns: 100, rows: 30}, services: {tryIt}});
		await press('x');
		await escape(press);
		await press(keys.tab);
		await press('x');
		expect(frame()).toContain('An access token has no audience: type the URL to call with it');
		expect(frame()).toContain('❯ https://svc.run.app');
		// Typed keys are the URL's, not commands: q does not quit, c does not copy.
		// Enter in the same read as the text (a pasted URL ending in a newline) is enter.
		await press('/q\r');
		const asked = {url: 'https://svc.run.app/q', token: `ya29.${'a'.repeat(80)}`, probe: false};
		expect(tryIt).toHaveBeenLastCalledWith(expect.objectContaining(asked));
		expect(frame()).toContain('✗ rejected: HTTP 401 for GET https://svc.run.app/q');
		// No probe for an access token: it has no audience.
		expect(frame()).not.toContain('p probes');
		await press('u');
		expect(frame()).toContain('❯ https://svc.run.app/q');
		await escape(press);
		expect(frame()).toContain('[access token]');
	});

	it('asks a URL when the ID token’s audience is not one (an IAP client ID), and refuses what is not a URL', async () => {
		const tryIt = fakeTryIt();
		const audience = '123456789012-iap0emulator0programmatic.apps.googleusercontent.com';
		const {frame, press} = await live(testSource(3600), {size: {columns: 100, rows: 30}, services: {tryIt}, audience});
		await press('x');
		expect(frame().replaceAll(/\s+/g, ' ')).toContain(`This ID token's audience (${audience}) is not a URL`);
		await press('my-app.example.com\r');
		expect(tryIt).not.toHaveBeenCalled();
		expect(frame()).toContain('The URL starts with https://');
	});

	it('is not offered without its service', async () => {
		const {frame, press} = await live(testSource(3600), {size: {columns: 100, rows: 30}});
		expect(lines(frame()).at(-1)).not.toContain('x try');
		await press('x');
		expect(frame()).not.toContain('Try it');
	});
});

describe('live view: claims with hidden characters', () => {
	it('shows them as escapes, flags the claim, says so for the selected one, and never writes them raw', async () => {
		const hostile = {
			...testSource(3600),
			async idToken({audience}: {audience: string}): Promise<RawToken> {
				const now = Math.floor(Date.now() / 1000);
				const claims = {iss: 'https://x\u001b[2J.example', aud: audience, email: 'admin\u200b@example.com', iat: now, exp: now + 3600};
				return {token: signedJwt(claims), type: 'id', audience, fetchedAt: new Date(), latencyMs: 3};
			},
		};
		const {frame, press} = await live(hostile, {size: {columns: 100, rows: 30}});
		expect(frame()).toMatch(/❯ iss\s+⚠https:\/\/x\\u001b\[2J\.example/);
		expect(frame()).toMatch(/ {2}email\s+⚠admin\\u200b@example\.com/);
		expect(frame()).toMatch(/ {2}aud\s+ https:\/\/svc\.run\.app/);
		expect(frame().replaceAll(/\s+/g, ' ')).toContain('⚠ iss contains control or invisible characters, shown as \\u escapes');
		await press(keys.down);
		expect(frame()).not.toContain('⚠ iss contains');
		await press(keys.down);
		expect(frame().replaceAll(/\s+/g, ' ')).toContain('email = admin\\u200b@example.com');
		expect(frame()).toContain('⚠ email contains control or invisible characters');
		expect(frame()).not.toMatch(/(?!\n)\p{Cc}|\u200B/u);
		await press('v');
		expect(frame()).not.toMatch(/(?!\n)\p{Cc}|\u200B/u);
	});
});

describe('live view: the verdict and retries', () => {
	it('names the issuer as inspect and doctor do: a test issuer the environment names stands in for Google', async () => {
		const issuer = 'http://127.0.0.1:4000';
		const stand = {...fromGoogle, reason: 'Signature verified.', issuer, google: false};
		const named = await live(testSource(3600), {verification: {...stand, testIssuer: true}, size: {columns: 120, rows: 30}});
		expect(named.frame().replaceAll(/\s+/g, ' ')).toContain(`issuer ${issuer} (a test issuer standing in for Google)`);
		named.session.dispose();
		await named.unmount();
		const unnamed = await live(testSource(3600), {verification: stand, size: {columns: 120, rows: 30}});
		expect(unnamed.frame().replaceAll(/\s+/g, ' ')).toContain(`issuer ${issuer} (not Google)`);
		unnamed.session.dispose();
		await unnamed.unmount();
	});

	it('turns an expired token to ✗ expired whatever the signature said, and copying it says so', async () => {
		const {frame, press, copy} = await live(testSource(20));
		await press('a');
		expect(frame()).toContain('✓ valid');
		await advance(21_000);
		expect(frame()).toContain('✗ expired');
		expect(frame()).not.toContain('✓ valid');
		await press('c');
		expect(copy).toHaveBeenCalled();
		expect(frame()).toMatch(/careful: it expired \d+s ago/);
	});

	it('does not retry what cannot fix itself: says why once, "fetch failed", and waits for r', async () => {
		const source = failingSource(forbidden());
		const {frame, press, session} = await live(source, {size: {columns: 80, rows: 24}});
		expect(frame()).toContain('✗ no ID token');
		expect(frame()).toContain('ID fetch failed');
		expect(frame()).not.toContain('expiry unknown');
		await advance(120_000);
		expect(source.calls).toBe(1);
		expect(session.getState().events).toHaveLength(1);
		await press('r');
		expect(source.calls).toBe(2);
	});

	it('does retry what can pass by itself, and auto-refresh toggled during the backoff leaves no "retrying in 0s"', async () => {
		const source = failingSource(new TokscopeError('server-error', 'The token endpoint answered HTTP 503.'));
		const {frame, press} = await live(source, {size: {columns: 80, rows: 24}});
		expect(frame()).toContain('retrying in 2s');
		await press('a');
		await advance(5000);
		expect(frame()).not.toMatch(/retrying in 0s/);
		expect(source.calls).toBe(1);
		await press('a');
		await advance(2000);
		expect(source.calls).toBe(2);
	});
});

describe('live view: the keys it offers', () => {
	it('offers a pasted token only what it can do: no refresh, no auto-refresh, no other tab', async () => {
		const token = signedJwt({iss: 'https://accounts.google.com', aud: 'x', sub: '1', iat: 1, exp: 2e9});
		const {createSource} = await import('../../../src/sources/index.js');
		const session = new TokenSession(createSource({source: 'paste', token}), {}, {now: () => new Date()});
		onTestFinished(() => session.dispose());
		const {frame, press} = await render(
			<LiveView session={session} now={() => new Date()} copy={copier()} onSources={() => {}} onQuit={() => {}} />,
			{columns: 80, rows: 24},
		);
		await settle(() => session.start());
		const footer = lines(frame()).at(-1)!;
		expect(footer).not.toMatch(/\br refr|\ba auto|tab id/);
		expect(footer).toMatch(/\? help q quit/);
		await press('r');
		await press('a');
		await press(keys.tab);
		expect(session.getState().events.map(event => event.what)).toEqual(['pasted']);
		expect(frame()).not.toContain('Auto-refresh');
		expect(frame()).toContain('pasted: shown as it is, never refreshed');
		// A paste is called a paste: never "fetched in 0 ms".
		expect(frame()).toMatch(/\d\d:\d\d:\d\d ID pasted, expires/);
		expect(frame()).not.toMatch(/fetched|in 0 ms/);
		await press('d');
		expect(frame()).toMatch(/pasted: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/m);
	});

	it('keeps ? and q in the footer at 60 columns', async () => {
		const {frame} = await live(testSource(3600), {
			size: {columns: 60, rows: 16},
			services: {demo: {menu: [], heal: () => {}, broken: () => []}},
		});
		expect(lines(frame()).at(-1)).toMatch(/\? help q quit\s*$/);
	});

	it('answers keys that arrive in one read, handing what follows `s` to the picker', async () => {
		const onSources = vi.fn();
		const {press} = await live(testSource(3600), {onSources});
		await press('s3');
		expect(onSources).toHaveBeenCalledWith('3');
	});

	it('opens the demo break-it menu, breaks what is picked, and heals', async () => {
		const apply = vi.fn();
		const heal = vi.fn();
		const demo = {menu: [{label: 'IAM says 403', explains: 'The caller lacks the role.', apply}], heal, broken: () => []};
		const {frame, press} = await live(testSource(3600), {size: {columns: 80, rows: 24}, services: {demo}});
		await press('b');
		expect(frame()).toContain('1  IAM says 403');
		await press('1');
		expect(apply).toHaveBeenCalled();
		expect(frame()).toContain('Broke it: IAM says 403');
		await press('H');
		expect(heal).toHaveBeenCalled();
		expect(frame()).toContain('Healed');
	});
});

describe('live view: lifetimes no token has', () => {
	it('a token that arrives already expired (a lifetime of 0) is said so and asked for again with backoff, not every second', async () => {
		const source = testSource(0);
		const {frame, session, unmount} = await live(source, {size: {columns: 100, rows: 30}});
		expect(source.calls).toBe(1);
		expect(frame()).toContain('✗ expired');
		expect(frame()).toContain('This token expired at issue (exp equals iat): no service will accept it.');
		expect(frame()).toMatch(/it arrived already expired — asking again in 2s/);
		for (let step = 0; step < 13; step++) await advance(10_000);
		// 2 + 4 + 8 + 16 + 32 + 60 = 122 s: six more asks in 130 s, where once a second made 130.
		expect(source.calls).toBe(7);
		session.dispose();
		await unmount();
	});

	it('exp 1e308 is clamped and said as inspect says it: no NaN, no Infinity, one fetch', async () => {
		const forever = {
			...testSource(3600),
			calls: 0,
			async idToken({audience}: {audience: string}): Promise<RawToken> {
				forever.calls += 1;
				const claims = {iss: 'https://accounts.google.com', aud: audience, sub: '1', iat: Math.floor(Date.now() / 1000), exp: 1e308};
				return {token: signedJwt(claims), type: 'id', audience, fetchedAt: new Date(), latencyMs: 3};
			},
		};
		const {frame, press, session, unmount} = await live(forever, {size: {columns: 140, rows: 40}});
		expect(frame()).not.toMatch(/NaN|Infinity/);
		expect(frame()).toMatch(/expires in \d+d \d+h/);
		expect(frame().replaceAll(/\s+/g, ' ')).toContain('Its exp (1.00e308) is beyond any date: taken as the year 9999');
		await press(keys.down);
		await press(keys.down);
		expect(frame()).not.toMatch(/NaN|Infinity/);
		expect(frame()).toMatch(/exp\s+1e\+308/);
		await advance(120_000);
		expect(forever.calls).toBe(1);
		session.dispose();
		await unmount();
	});
});
