import {Text} from 'ink';
import {describe, expect, it, onTestFinished} from 'vitest';
import type {RawToken} from '../../../src/core/types.js';
import type {DoctorReport} from '../../../src/doctor/report.js';
import type {TokenSource} from '../../../src/sources/types.js';
import {askingWhy, tryItTitle} from '../../../src/ui/panels/try-it.js';
import type {TryItRequest} from '../../../src/ui/services.js';
import {TokenSession} from '../../../src/session/driver.js';
import {useTryIt} from '../../../src/ui/screens/use-try-it.js';
import {render, settle} from '../../support/ink.js';

// "Try it" as the live view drives it: which URL is called with which token, and which answer is shown. The call
// itself (doctor's diagnosis) is handed in, so the test answers each call when it chooses.

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A source minting a new token on each call: `…/1`, `…/2`, so the test can tell which one a call carried. */
function countingSource(): TokenSource {
	let minted = 0;
	const token = (claims: Record<string, unknown>) => `${encode({alg: 'RS256'})}.${encode(claims)}.c2ln`;
	return {
		id: 'key-file',
		label: 'Service-account key file',
		describe: async () => ({
			id: 'key-file',
			principal: 'sa@p.iam.gserviceaccount.com',
			origin: 'test',
			details: [],
			warnings: [],
			idTokens: true,
		}),
		idToken: async ({audience}): Promise<RawToken> => {
			minted += 1;
			const claims = {iss: 'https://accounts.google.com', aud: audience, sub: String(minted), exp: 2e9};
			return {token: token(claims), type: 'id', audience, fetchedAt: new Date(), latencyMs: 1};
		},
		accessToken: async (): Promise<RawToken> => ({token: `ya29.${'a'.repeat(40)}`, type: 'access', fetchedAt: new Date(), latencyMs: 1}),
	};
}

/** Each call the hook makes, answered when the test says. */
function calls() {
	const made: Array<TryItRequest & {answer: (accepted: boolean) => void}> = [];
	const tryIt = (request: TryItRequest) =>
		new Promise<DoctorReport>(resolve => {
			const answer = (accepted: boolean) =>
				resolve({
					url: request.url,
					method: 'GET',
					status: accepted ? 200 : 401,
					accepted,
					target: {kind: 'cloud-run'},
					token: null,
					causes: [],
				});
			made.push({...request, answer});
		});
	return {made, tryIt};
}

const subject = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {sub: string}).sub;

async function tryItOn(audience: string) {
	const session = new TokenSession(countingSource(), {audience});
	onTestFinished(() => session.dispose());
	await settle(() => session.start());
	const {made, tryIt} = calls();
	let hook!: ReturnType<typeof useTryIt>;
	function Pane() {
		hook = useTryIt(session, tryIt);
		const {state} = hook;
		const detail =
			state.status === 'asking'
				? `asking for a URL, ${state.prefill || 'nothing'} offered${state.problem ? `: ${state.problem}` : ''}`
				: state.status === 'answered'
					? `HTTP ${state.report.status}`
					: state.status;
		return <Text>{`${tryItTitle(state)} | ${detail}`}</Text>;
	}
	const view = await render(<Pane />);
	const act = (work: () => void) => settle(async () => work());
	return {...view, session, made, act, hook: () => hook};
}

describe('try it', () => {
	it('calls an ID token’s audience at once; asks where to send an access token, offering the audience', async () => {
		const {frame, made, act, hook} = await tryItOn('https://svc-abc123-uc.a.run.app');
		await act(() => hook().start('id'));
		expect(frame()).toBe('Try it, calling — https://svc-abc123-uc.a.run.app | calling');
		expect(made.map(call => [call.url, call.audience])).toEqual([['https://svc-abc123-uc.a.run.app', 'https://svc-abc123-uc.a.run.app']]);
		await act(() => hook().close());
		await act(() => hook().start('access'));
		expect(frame()).toBe('Try it: call a service with this token | asking for a URL, https://svc-abc123-uc.a.run.app offered');
	});

	it('asks for a URL when the audience is not one, and refuses what is not a URL without calling', async () => {
		const {frame, made, act, hook} = await tryItOn('32555940559.apps.googleusercontent.com');
		await act(() => hook().start('id'));
		expect(frame()).toBe('Try it: call a service with this token | asking for a URL, nothing offered');
		await act(() => hook().submitUrl('my-service.run.app'));
		expect(frame().replaceAll(/\s+/g, ' ')).toContain(': The URL starts with https:// (or http:// to a loopback address).');
		expect(made).toEqual([]);
		await act(() => hook().submitUrl('https://iap.example.com/'));
		expect(made.map(call => call.url)).toEqual(['https://iap.example.com/']);
	});

	it('u after a call asks for another URL, prefilled with the last, without calling the audience “not a URL”', async () => {
		const {made, act, hook} = await tryItOn('http://127.0.0.1:35099');
		await act(() => hook().start('id'));
		await act(() => made[0]!.answer(true));
		await act(() => hook().askUrl());
		const {state} = hook();
		expect(state).toMatchObject({status: 'asking', prefill: 'http://127.0.0.1:35099'});
		if (state.status !== 'asking') throw new Error('not asking');
		expect(askingWhy(state, 'http://127.0.0.1:35099')).toBe(
			'Type another URL to call with the ID token (the last one is filled in; ctrl-u clears it).',
		);
	});

	it('sends the token the session holds now: “again” after a refresh carries the new one', async () => {
		const {frame, session, made, act, hook} = await tryItOn('https://svc-abc123-uc.a.run.app');
		await act(() => hook().start('id'));
		await act(() => made[0]!.answer(false));
		expect(frame()).toContain('| HTTP 401');
		await settle(() => session.refresh('id'));
		await act(() => hook().again());
		expect(made.map(call => subject(call.token))).toEqual(['1', '2']);
	});

	it('shows only the answer to the latest call, and none once the pane is closed', async () => {
		const {frame, made, act, hook} = await tryItOn('https://svc-abc123-uc.a.run.app');
		await act(() => hook().start('id'));
		await act(() => hook().close());
		await act(() => hook().start('id'));
		// The first call answers late: the second is still what the pane shows.
		await act(() => made[0]!.answer(true));
		expect(frame()).toContain('| calling');
		await act(() => made[1]!.answer(false));
		expect(frame()).toContain('| HTTP 401');
		await act(() => hook().again());
		await act(() => hook().close());
		await act(() => made[2]!.answer(true));
		expect(frame()).toBe('Try it: call a service with this token | idle');
	});

	it('probes only with an ID token (the source mints one per audience)', async () => {
		const {made, act, hook, session} = await tryItOn('https://svc-abc123-uc.a.run.app');
		await act(() => hook().start('id'));
		await act(() => made[0]!.answer(false));
		await act(() => hook().probe());
		expect(made[1]).toMatchObject({probe: true, source: session.source});
		await settle(async () => session.switchType());
		await act(() => hook().start('access'));
		await act(() => hook().submitUrl('https://storage.googleapis.com/b/o'));
		await act(() => made[2]!.answer(false));
		await act(() => hook().probe());
		expect(made).toHaveLength(3);
	});
});
