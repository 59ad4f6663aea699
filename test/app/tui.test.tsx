import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startDemo, type Demo} from '../../src/app/demo.js';
import {liveServices} from '../../src/app/tui.js';
import {createSource} from '../../src/sources/index.js';
import {LiveView} from '../../src/ui/screens/LiveView.js';
import {TokenSession} from '../../src/session/driver.js';
import {keys, render, settle, waitUntil} from '../support/ink.js';

// The live view with the services the TUI hands it, against the demo's emulator: "try it" is doctor's own diagnosis
// calling the demo's Cloud Run stand-in for real.

let demo: Demo;
beforeAll(async () => {
	demo = await startDemo({TOKSCOPE_DEMO_LIFETIME: '600'});
	await demo.ready;
});
afterAll(async () => demo.stop());

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
	await cleanup?.();
	cleanup = undefined;
});

async function liveDemo(source: 'metadata' | 'key-file', audience = demo.defaults.audience) {
	const services = liveServices(demo.env, undefined, demo.controls);
	const now = () => new Date();
	const session = new TokenSession(createSource({source, keyFile: demo.defaults.keyFile, env: demo.env}), {audience}, {now});
	const view = await render(
		<LiveView session={session} now={now} copy={async () => ''} onSources={() => {}} onQuit={() => {}} services={services} />,
		{
			columns: 100,
			rows: 40,
		},
	);
	cleanup = async () => {
		session.dispose();
		await view.unmount();
	};
	await settle(() => session.start());
	const waitFor = (text: string | RegExp) => waitUntil(() => expect(view.frame().replaceAll(/\s+/g, ' ')).toMatch(text));
	return {...view, session, waitFor};
}

describe('try it, in the demo', () => {
	it('calls the Cloud Run stand-in with the ID token: accepted; with the access token: the wrong kind, and why', async () => {
		const {press, waitFor, frame} = await liveDemo('metadata');
		await waitFor('ID fetched in');
		await press('x');
		await waitFor(`✓ accepted: HTTP 200 for GET ${demo.defaults.audience}`);
		expect(frame()).toContain('(Cloud Run)');
		await press(keys.escape);
		await waitFor('events (e shows them all)');
		await press(keys.tab);
		await waitFor(/\[access token\]/);
		await press('x');
		await waitFor(`❯ ${demo.defaults.audience}`);
		await press(keys.enter);
		await waitFor('✗ rejected: HTTP 401');
		await waitFor('1. wrong-token-kind:');
	});

	it('probes the audiences after a refusal for the audience, and finds the one the service accepts', async () => {
		const wrong = `${demo.defaults.audience}/with/a/path`;
		const {press, waitFor} = await liveDemo('metadata', wrong);
		await waitFor('ID fetched in');
		await press('x');
		await waitFor('✗ rejected: HTTP 401');
		await waitFor('audience-mismatch');
		await press('p');
		await waitFor('Probe: which audience the service accepts');
		await waitFor(`→ mint for ${demo.defaults.audience}`);
	});
});
