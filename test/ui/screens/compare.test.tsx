import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest';
import {liveServices} from '../../../src/app/tui.js';
import {createSource} from '../../../src/sources/index.js';
import {LiveView} from '../../../src/ui/screens/LiveView.js';
import {TokenSession} from '../../../src/session/driver.js';
import {verifyToken} from '../../../src/verify/verify.js';
import {startFixture, type Fixture} from '../../support/fixture.js';
import {render, settle} from '../../support/ink.js';

// The comparison (i) against the emulator with 60 s tokens, as the demo runs it: the two tokens of one caller, their
// real values, and x sending both to the Cloud Run and Google API stand-ins through doctor's diagnosis.

let fixture: Fixture;
beforeAll(async () => {
	fixture = await startFixture({tokenLifetimeSeconds: 60});
});
afterAll(async () => fixture.close());

async function comparison(size: {columns: number; rows: number}) {
	// tokeninfo too is the emulator's, through gcloud's own override (as the demo's environment has it).
	const env = fixture.env({NO_PROXY: '127.0.0.1', CLOUDSDK_API_ENDPOINT_OVERRIDES_OAUTH2: `${fixture.emulator.url}/`});
	const {cloudRun, googleApi} = fixture.emulator.services;
	const session = new TokenSession(createSource({source: 'metadata', env}), {audience: cloudRun.url}, {now: () => new Date()}, token =>
		verifyToken(token),
	);
	onTestFinished(() => session.dispose());
	const services = {
		...liveServices(env),
		compareTargets: {service: {label: 'Cloud Run', url: cloudRun.url}, googleApi: {label: 'Google API', url: googleApi.url}},
	};
	const copy = async () => 'Copied.';
	const view = await render(
		<LiveView session={session} now={() => new Date()} copy={copy} onSources={() => {}} onQuit={() => {}} services={services} />,
		size,
	);
	await settle(() => session.start());
	await view.waitFor('✓ valid');
	await view.press('i');
	return view;
}

const oneLine = (text: string) => text.replaceAll(/\s+/g, ' ');

describe('the comparison (i)', () => {
	it('at 80×24, stacked: both tokens’ real values, then x: one accepted and the other refused at each, with doctor’s reason', async () => {
		const {frame, press, waitFor} = await comparison({columns: 80, rows: 24});
		await waitFor(/access token\n {2}format {6}opaque, \d+ chars \(ya29\.…\): nothing in it to decode/);
		const before = frame();
		expect(before).toMatch(/^ {2}format {6}a JWT of \d+ chars that anyone can decode$/m);
		expect(before).toContain(`for         one audience: ${fixture.emulator.services.cloudRun.url}`);
		// The demo's real lifetime, not "about 1 hour".
		expect(before).toMatch(/lifetime {4}1m 00s: iat \d\d:\d\d:\d\d → exp \d\d:\d\d:\d\d/);
		expect(before).toMatch(/lifetime {4}(59s|1m 00s): fetched \d\d:\d\d:\d\d → expires \d\d:\d\d:\d\d/);
		expect(before).toContain('checked by  anyone, with its issuer’s published keys: ✓ valid');
		expect(before).toContain('checked by  only Google, which looks it up: tokeninfo not asked yet');
		expect(before).toContain('for         scopes: cloud-platform; no audience');
		expect(before).not.toContain('about 1 hour');

		await press('x');
		await waitFor(/Google API {2}✓ accepted \(HTTP 200\)/);
		await waitFor(/Google API {2}✗ refused/);
		await press('t');
		await waitFor('✓ tokeninfo knows it');
		const after = oneLine(frame());
		expect(after).toContain('Cloud Run ✓ accepted (HTTP 200)');
		expect(after).toContain('Google API ✗ refused (HTTP 401): Google APIs want an OAuth 2 access token, but an ID token was sent.');
		expect(after).toContain('Cloud Run ✗ refused (HTTP 401): Cloud Run wants an OpenID Connect ID token, but an OAuth access token');
		expect(after).toContain(`${fixture.emulator.serviceAccountEmail} (tokeninfo)`);
		// All of it on one screen: the pane does not scroll, and the frame is the terminal's height.
		expect(frame()).not.toMatch(/of \d+, ↑\/↓/);
		expect(frame().split('\n').length).toBeLessThanOrEqual(24);
	});

	it('at 120 columns, side by side: ID token and access token in two columns, each cell wrapped in words', async () => {
		const {frame, press, waitFor} = await comparison({columns: 120, rows: 40});
		await waitFor(/format {6}a JWT of \d+ chars that anyone can decode +opaque, \d+ chars \(ya29\.…\): nothing in it to decode/);
		expect(frame()).toMatch(/^ {12}ID token {3,}access token$/m);
		await press('x');
		await waitFor(/Cloud Run {3}✓ accepted \(HTTP 200\) +✗ refused \(HTTP 401\)/);
		await waitFor(/Google API {2}✗ refused \(HTTP 401\): .* +✓ accepted \(HTTP 200\)/);
		for (const line of frame().split('\n')) expect(line.length).toBeLessThanOrEqual(120);
	});
});
