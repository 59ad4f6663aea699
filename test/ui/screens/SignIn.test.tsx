import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it, onTestFinished, vi} from 'vitest';
import {startSignIn, type SignedIn, type SignInFlow} from '../../../src/sources/login-flow.js';
import {SignIn} from '../../../src/ui/screens/SignIn.js';
import {consent} from '../../support/browser.js';
import {startFixture, type Fixture} from '../../support/fixture.js';
import {keys, render, settle, waitUntil} from '../../support/ink.js';

// The sign-in screen with a real flow against the emulator: the test plays the browser and types into the field.

let fixture: Fixture;
beforeAll(async () => {
	fixture = await startFixture();
});
afterAll(async () => fixture.close());

async function screen() {
	let flow: SignInFlow | undefined;
	const onSignedIn = vi.fn<(user: SignedIn) => void>();
	const onBack = vi.fn();
	const copy = vi.fn(async () => 'Copied the sign-in address via OSC 52.');
	const start = async () => (flow = await startSignIn({clientSecret: fixture.files.oauthClient, way: 'paste', env: {}}));
	const view = await render(
		<SignIn
			label="Sign in with an OAuth client"
			start={start}
			now={() => new Date()}
			copy={copy}
			onSignedIn={onSignedIn}
			onBack={onBack}
		/>,
	);
	await view.waitFor('left · esc gives up');
	return {...view, flow: flow!, onSignedIn, onBack, copy};
}

describe('the sign-in screen', () => {
	it('shows the address and why, counts down, refuses what is not an answer, and signs in with the pasted address', async () => {
		const {frame, press, flow, onSignedIn, copy} = await screen();
		expect(frame()).toContain('Open this address in a browser on any machine (--no-browser was given)');
		expect(frame().replaceAll('\n', '')).toContain(flow.url);
		expect(frame()).toMatch(/4:5\d left/);
		await press('\u000F');
		expect(copy).toHaveBeenCalledWith(flow.url, 'the sign-in address');
		expect(frame()).toContain('Copied the sign-in address via OSC 52.');

		await press('garbage');
		await press(keys.enter);
		expect(frame()).toContain('Paste the whole address your browser ended on');
		const location = await settle(() => consent(flow.url, 'allow'));
		await press(location.toString());
		await press(keys.enter);
		await waitUntil(() => expect(onSignedIn).toHaveBeenCalledOnce());
		expect(onSignedIn.mock.calls[0]![0].email).toBe(fixture.emulator.userEmail);
	});

	it('ctrl-o copies the address without typing an o into the field, and ctrl-u clears the field', async () => {
		const {frame, press, copy} = await screen();
		await press('http://127.0.0.1:1/?code=');
		await press('\u000F');
		expect(copy).toHaveBeenCalledOnce();
		expect(frame()).toMatch(/❯ http:\/\/127\.0\.0\.1:1\/\?code=$/m);
		expect(frame()).not.toContain('?code=o');
		await press('\u0015');
		expect(frame()).not.toContain('127.0.0.1:1/');
		expect(frame()).toContain('❯ http://127.0.0.1:…/?code=…&state=…');
	});

	it('shows Deny as one sentence, and esc goes back and gives the sign-in up', async () => {
		const {press, flow, onBack, unmount, waitFor} = await screen();
		const denied = await settle(() => consent(flow.url, 'deny'));
		await settle(async () => flow.answer(denied.toString()));
		await waitFor('Access was denied on the consent page (access_denied); nothing was written.');
		await press(keys.escape);
		await waitUntil(() => expect(onBack).toHaveBeenCalled());
		await unmount();
		const other = await screen();
		await other.unmount();
		await expect(other.flow.signedIn).rejects.toThrow(/given up/);
	});

	it('at 80×24 says both warnings of a client pointing away from Google whole, and stays within the rows', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'tokscope-signin-'));
		onTestFinished(() => rm(dir, {recursive: true, force: true}));
		const clientSecret = join(dir, 'client_secret_123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com.json');
		const installed = {
			client_id: '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com',
			client_secret: 'GOCSPX-not-a-real-secret',
			auth_uri: 'https://accounts.attacker.example/o/oauth2/auth',
			token_uri: 'https://oauth2.attacker.example/token',
			redirect_uris: ['http://localhost'],
		};
		await writeFile(clientSecret, JSON.stringify({installed}));
		let flow: SignInFlow | undefined;
		const start = async () => (flow = await startSignIn({clientSecret, way: 'paste', env: {}}));
		onTestFinished(() => flow?.cancel());
		const copy = async () => 'Copied the sign-in address via OSC 52.';
		const {frame, press, waitFor} = await render(
			<SignIn
				label="Sign in with an OAuth client"
				start={start}
				now={() => new Date()}
				copy={copy}
				onSignedIn={() => {}}
				onBack={() => {}}
			/>,
			{columns: 80, rows: 24},
		);
		await waitFor('left · esc gives up');
		const lines = frame().split('\n');
		expect(lines.length).toBeLessThanOrEqual(24);
		// Whole: every character of each warning is on screen, in order (a path longer than a line breaks inside it).
		const said = frame().replaceAll(/\s+/g, '');
		for (const [field, host] of [
			['auth_uri', 'accounts.attacker.example'],
			['token_uri', 'oauth2.attacker.example'],
		]) {
			const warning = `⚠ ${field} in ${clientSecret} points to ${host}, which is not Google: the credential will be sent there.`;
			expect(said).toContain(warning.replaceAll(/\s+/g, ''));
		}
		expect(lines[0]).toBe('Sign in with an OAuth client');
		expect(frame()).toMatch(/ctrl-o copies/);
		expect(frame()).toMatch(/^❯ /m);
		// A refused answer and a copy's message take rows too: the blank lines and the client's line give way first.
		await press('garbage\r');
		await press('\u000F');
		await waitFor('Copied the sign-in address via OSC 52.');
		expect(frame().split('\n').length).toBeLessThanOrEqual(24);
		expect(frame()).toContain('Paste the whole address your browser ended on');
		expect(frame().replaceAll(/\s+/g, '')).toContain(`⚠token_uriin${clientSecret}`);
	});
});
