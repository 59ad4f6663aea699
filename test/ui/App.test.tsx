import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {liveServices} from '../../src/app/tui.js';
import {startWire, type RecordingWire} from '../../src/app/wire.js';
import {createSource} from '../../src/sources/index.js';
import {startSignIn, type SignedIn} from '../../src/sources/login-flow.js';
import {App, type AppServices} from '../../src/ui/App.js';
import {consent} from '../support/browser.js';
import {startFixture, type Fixture} from '../support/fixture.js';
import {keys, render, settle} from '../support/ink.js';

// The whole app from the sign-in to the live view, against the emulator: the test plays the browser and pastes the
// address it ended on, as a user over SSH would.

let fixture: Fixture;
let wire: RecordingWire;
beforeAll(async () => {
	fixture = await startFixture();
	wire = startWire();
});
afterAll(async () => {
	wire.stop();
	await fixture.close();
});

describe('the app, signed in', () => {
	it('shows the sign-in on the wire: the authorization URL explained, the redirect, the code exchange; no secret', async () => {
		const env = fixture.env({NO_PROXY: '127.0.0.1'});
		let user: Promise<SignedIn> | undefined;
		let url = '';
		const services: AppServices = {
			createSource: options => createSource({...options, env}),
			detectSources: async () => ({}),
			verify: async () => ({
				status: 'unverified',
				code: 'not-checked',
				reason: 'Not checked in this test.',
				issuer: undefined,
				google: false,
			}),
			copy: async () => 'Copied.',
			signIn: async (options, scopes) => {
				const flow = await startSignIn({clientSecret: options.clientSecret ?? '', scopes, way: 'paste', env: {}});
				url = flow.url;
				user = flow.signedIn;
				return flow;
			},
			now: () => new Date(),
			defaults: {},
			live: liveServices(env, wire),
		};
		const initial = {name: 'signin' as const, options: {source: 'login' as const, clientSecret: fixture.files.oauthClient}, request: {}};
		const {frame, press, waitFor} = await render(<App services={services} initial={initial} />, {columns: 120, rows: 120});
		await waitFor('left · esc gives up');
		const location = await settle(() => consent(url, 'allow'));
		const code = location.searchParams.get('code')!;
		await press(location.toString());
		await press(keys.enter);
		await waitFor('ID fetched');
		const refreshToken = JSON.parse((await settle(() => user!)).authorizedUserFile()).refresh_token as string;
		expect(refreshToken).toMatch(/^1\/\//);

		await press('w');
		const text = frame();
		expect(text).toContain('How you signed in: the authorization code flow with PKCE, in three steps');
		expect(text).toContain('1. ');
		expect(text).toContain('The authorization URL (printed, to open in a browser on any machine)');
		const parameters = [
			'client_id',
			'redirect_uri',
			'response_type',
			'scope',
			'code_challenge',
			'code_challenge_method',
			'state',
			'access_type',
		];
		for (const parameter of [...parameters, 'prompt']) {
			expect(text).toContain(`${parameter}=`);
		}
		expect(text).toContain('the SHA-256 of a secret verifier (PKCE)');
		expect(text).toContain('The redirect back (the address the browser ended on, pasted)');
		expect(text).toContain('✓ the same state this sign-in sent');
		expect(text).toMatch(/3\. .*The code exchange/);
		expect(text).toMatch(new RegExp(`POST ${fixture.emulator.url}/token\\s*\\n\\s*→ HTTP 200 in \\d+ ms`));
		expect(text).toContain('grant_type=authorization_code');
		expect(text).toContain('code_verifier=[redacted]');
		expect(text).toContain('refresh_token: kept in memory only, never shown or written');
		expect(text).toContain('id_token: [redacted]');
		// No secret: not the code (masked), not the refresh token, nor any part of it long enough to use.
		expect(text).not.toContain(code);
		expect(text).not.toContain(refreshToken.slice(0, 16));
		// The exchange as node:http carried it is recorded too, with the sign-in's own secrets redacted.
		const recorded = wire.between(new Date(0), new Date(Date.now() + 1000));
		const exchange = recorded.find(each => each.requestBody?.includes('grant_type=authorization_code'));
		expect(exchange?.requestBody).toContain('code=[redacted]');
		expect(exchange?.requestBody).toContain('code_verifier=[redacted]');
		expect(exchange?.responseBody).toContain('"refresh_token":"[redacted]"');
		for (const secret of [refreshToken.slice(0, 16), encodeURIComponent(refreshToken).slice(0, 16), code, encodeURIComponent(code)]) {
			expect(JSON.stringify(recorded)).not.toContain(secret);
		}
		await press('q');
	});
});

describe('the app, trying a service', () => {
	it('after p finds the audience the service accepts, m mints the ID token for it and goes live with it', async () => {
		const env = fixture.env({NO_PROXY: '127.0.0.1'});
		const cloudRun = fixture.emulator.services.cloudRun.url;
		const services: AppServices = {
			createSource: options => createSource({...options, env}),
			detectSources: async () => ({}),
			verify: async () => ({status: 'unverified', code: 'not-checked', reason: 'Not checked in this test.'}),
			copy: async () => 'Copied.',
			now: () => new Date(),
			defaults: {},
			live: liveServices(env),
		};
		// An audience with a path: Cloud Run refuses it; its origin is what it accepts.
		const initial = {
			name: 'live' as const,
			options: {source: 'key-file' as const, keyFile: fixture.files.serviceAccountKey},
			request: {audience: `${cloudRun}/hello`},
		};
		const {frame, press, waitFor} = await render(<App services={services} initial={initial} />, {columns: 120, rows: 60});
		await waitFor('ID fetched');
		await press('x');
		await waitFor('✗ rejected: HTTP 401');
		await press('p');
		await waitFor(`→ mint for ${cloudRun}`);
		expect(frame()).toContain(`m mints the ID token for ${cloudRun} and goes live with it`);
		await press('m');
		await waitFor(`The ID token is now minted for ${cloudRun}.`);
		await waitFor(new RegExp(`aud\\s+${cloudRun.replaceAll('.', '\\.')}\\s*$`, 'm'));
		await press('x');
		await waitFor('✓ accepted: HTTP 200');
		await press('q');
	});

	it('on the metadata source, says which key fixes a wrong token kind, not a gcloud command holding SA_EMAIL', async () => {
		const env = fixture.env({NO_PROXY: '127.0.0.1'});
		const cloudRun = fixture.emulator.services.cloudRun.url;
		const services: AppServices = {
			createSource: options => createSource({...options, env}),
			detectSources: async () => ({}),
			verify: async () => ({status: 'unverified', code: 'not-checked', reason: 'Not checked in this test.'}),
			copy: async () => 'Copied.',
			now: () => new Date(),
			defaults: {},
			live: liveServices(env),
		};
		const initial = {name: 'live' as const, options: {source: 'metadata' as const}, request: {audience: cloudRun}};
		const {frame, press, waitFor} = await render(<App services={services} initial={initial} />, {columns: 120, rows: 60});
		await waitFor('ID fetched');
		await press(keys.tab);
		await waitFor('access fetched');
		await press('x');
		await waitFor(`❯ ${cloudRun}`);
		await press(keys.enter);
		await waitFor('✗ rejected: HTTP 401');
		expect(frame()).toContain('wrong-token-kind');
		expect(frame()).toContain('here: tab shows the ID token; x then calls its audience with it.');
		expect(frame()).not.toContain('SA_EMAIL');
		await press('q');
	});
});
