import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
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
});
