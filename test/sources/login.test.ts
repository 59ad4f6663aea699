import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {inspect} from 'node:util';
import {decodeJwt} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createSource} from '../../src/sources/index.js';
import {parseAnswer} from '../../src/sources/login-answer.js';
import {chooseWay} from '../../src/sources/login-browser.js';
import {startSignIn, type SignInOptions} from '../../src/sources/login-flow.js';
import {consent, followBack, withForeignChallenge} from '../support/browser.js';
import {startFixture, type Fixture} from '../support/fixture.js';

let fixture: Fixture;
beforeAll(async () => {
	fixture = await startFixture();
});
afterAll(async () => fixture.close());

const signIn = (options: Partial<SignInOptions> = {}) =>
	startSignIn({clientSecret: fixture.files.oauthClient, way: 'paste', env: {}, ...options});

describe('the way back', () => {
	it('pastes over SSH or without a display, opens a browser otherwise, and obeys --browser / --no-browser', () => {
		expect(chooseWay(undefined, {SSH_CONNECTION: '192.0.2.1 22 192.0.2.2 5000', DISPLAY: ':0'}, 'linux')).toMatchObject({
			way: 'paste',
			why: expect.stringContaining('SSH'),
		});
		expect(chooseWay(undefined, {SSH_TTY: '/dev/pts/1'}, 'darwin').way).toBe('paste');
		expect(chooseWay(undefined, {}, 'linux')).toMatchObject({way: 'paste', why: expect.stringContaining('DISPLAY')});
		expect(chooseWay(undefined, {WAYLAND_DISPLAY: 'wayland-0'}, 'linux').way).toBe('browser');
		expect(chooseWay(undefined, {}, 'darwin').way).toBe('browser');
		expect(chooseWay('browser', {SSH_TTY: '/dev/pts/1'}, 'linux').way).toBe('browser');
		expect(chooseWay('paste', {DISPLAY: ':0'}, 'linux').way).toBe('paste');
	});

	it('knows the user is remote and where a browser opens as the clipboard does (one rule, core/where)', () => {
		// sshd sets SSH_CLIENT too; with X forwarding a DISPLAY is set, but a browser there opens on the wrong machine.
		expect(chooseWay(undefined, {SSH_CLIENT: '192.0.2.1 5000 22', DISPLAY: 'localhost:10.0'}, 'linux')).toMatchObject({
			way: 'paste',
			why: expect.stringContaining('SSH_CLIENT'),
		});
		// WSL opens the Windows browser, as its clipboard is the Windows one.
		expect(chooseWay(undefined, {WSL_DISTRO_NAME: 'Ubuntu'}, 'linux').way).toBe('browser');
	});

	it('reads the whole address, one without http://, a bare code (escaped or not), and refuses anything else', () => {
		expect(parseAnswer('http://127.0.0.1:4000/?state=s1&code=4%2F0abc&scope=email')).toEqual({code: '4/0abc', state: 's1'});
		expect(parseAnswer('  127.0.0.1:4000/?code=4/0abc&state=s1 ')).toEqual({code: '4/0abc', state: 's1'});
		expect(parseAnswer('http://127.0.0.1:4000/?error=access_denied&state=s1')).toEqual({
			error: 'access_denied',
			state: 's1',
			description: undefined,
		});
		expect(parseAnswer('4%2F0AX4XfWh-abcdefghij')).toEqual({code: '4/0AX4XfWh-abcdefghij', codeAlone: true});
		expect(parseAnswer('4/0AX4XfWh-abcdefghij')).toEqual({code: '4/0AX4XfWh-abcdefghij', codeAlone: true});
		for (const junk of ['', 'hello world', 'short', 'http://127.0.0.1:4000/', 'https://example.com/x'])
			expect(parseAnswer(junk)).toBeUndefined();
	});
});

describe('the client file', () => {
	const write = async (name: string, text: string) => {
		const path = join(fixture.dir, name);
		await writeFile(path, text);
		return path;
	};

	it('refuses a service-account key, malformed JSON, an unknown shape, a web client without loopback redirect: one sentence', async () => {
		const cases: Array<[string, RegExp]> = [
			[
				await readFile(fixture.files.serviceAccountKey, 'utf8'),
				/is a service-account key, not an OAuth client file: download a Desktop app client/,
			],
			['{"installed": {"client_id": "x"', /is not valid JSON \(it may be truncated\)/],
			['{"other": {}}', /has neither an "installed" nor a "web" section/],
			['{"installed": {"client_id": "x"}}', /is missing "client_secret"/],
			['{"web": {"client_id": "x", "client_secret": "y", "redirect_uris": ["https://app.example.com/cb"]}}', /allows no loopback redirect/],
		];
		for (const [text, sentence] of cases) {
			const path = await write('client.json', text);
			await expect(signIn({clientSecret: path})).rejects.toThrow(sentence);
		}
	});

	it('listens where a web client’s loopback redirect points', async () => {
		const installed = JSON.parse(await readFile(fixture.files.oauthClient, 'utf8')).installed;
		const path = await write(
			'web.json',
			JSON.stringify({web: {...installed, redirect_uris: ['https://app.example.com/cb', 'http://localhost:0/']}}),
		);
		// Port 0 is not a port a web client could list: it counts as none.
		await expect(signIn({clientSecret: path})).rejects.toThrow(/allows no loopback redirect/);
		const port = 40000 + Math.floor(Math.random() * 20000);
		await writeFile(path, JSON.stringify({web: {...installed, redirect_uris: [`http://localhost:${port}/oauth2callback`]}}));
		const flow = await signIn({clientSecret: path});
		expect(flow.redirectUri).toBe(`http://localhost:${port}/oauth2callback`);
		flow.cancel();
		await expect(flow.signedIn).rejects.toThrow('The sign-in was given up; nothing was written.');
	});
});

describe('signing in against the emulator', () => {
	it('comes back through the loopback server, then refreshes with the refresh token it never shows', async () => {
		const opened: string[] = [];
		const flow = await signIn({way: 'browser', openBrowser: async url => opened.push(url)});
		expect(await flow.browser).toBe(true);
		expect(opened).toEqual([flow.url]);
		const url = new URL(flow.url);
		expect(url.origin + url.pathname).toBe(`${fixture.emulator.url}/o/oauth2/auth`);
		expect(Object.fromEntries(url.searchParams)).toMatchObject({
			client_id: fixture.emulator.oauthClient.id,
			redirect_uri: flow.redirectUri,
			response_type: 'code',
			scope: 'openid email https://www.googleapis.com/auth/cloud-platform',
			code_challenge_method: 'S256',
			access_type: 'offline',
		});
		expect(flow.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

		const back = await followBack(await consent(flow.url, 'allow'));
		expect(back).toMatchObject({status: 200, page: expect.stringContaining('You can close this tab')});
		const user = await flow.signedIn;
		expect(user.email).toBe(fixture.emulator.userEmail);
		// The server answered once and closed.
		await expect(fetch(flow.redirectUri)).rejects.toThrow();

		const source = createSource({source: 'login', signedIn: user, env: fixture.env()});
		const info = await source.describe();
		expect(info).toMatchObject({principal: fixture.emulator.userEmail, credentialType: 'authorized_user'});
		expect(info.idTokens).toMatch(/aud = .*never for another audience/);
		const first = await source.accessToken();
		const second = await source.accessToken();
		expect(first.token).toMatch(/^ya29\./);
		expect(second.token).not.toBe(first.token);

		const id = await source.idToken({audience: fixture.emulator.oauthClient.id});
		expect(decodeJwt(id.token)).toMatchObject({aud: fixture.emulator.oauthClient.id, email: fixture.emulator.userEmail});
		expect(id.notes?.[0]).toMatch(/aud is this OAuth client's ID.*impersonate a service account/);
		const refreshedId = await source.idToken({audience: fixture.emulator.oauthClient.id});
		expect(decodeJwt(refreshedId.token).aud).toBe(fixture.emulator.oauthClient.id);
		await expect(source.idToken({audience: 'https://hello.a.run.app'})).rejects.toThrow(
			/minted only for the OAuth client they signed in with/,
		);

		const saved = JSON.parse(user.authorizedUserFile());
		expect(Object.keys(saved)).toEqual(['account', 'client_id', 'client_secret', 'refresh_token', 'token_uri', 'type', 'universe_domain']);
		expect(saved).toMatchObject({
			type: 'authorized_user',
			token_uri: `${fixture.emulator.url}/token`,
			refresh_token: expect.stringMatching(/^1\/\//),
		});
		for (const shown of [JSON.stringify(user), inspect(user), inspect(source, {depth: 5}), JSON.stringify(info)])
			expect(shown).not.toContain(saved.refresh_token);
	});

	it('takes the pasted address, or just the code', async () => {
		const flow = await signIn();
		expect(flow.way).toBe('paste');
		expect(flow.answer('not an address')).toMatch(/Paste the whole address/);
		const location = await consent(flow.url, 'allow');
		expect(flow.answer(location.toString())).toBeUndefined();
		expect((await flow.signedIn).email).toBe(fixture.emulator.userEmail);

		const again = await signIn();
		const code = (await consent(again.url, 'allow')).searchParams.get('code')!;
		again.answer(encodeURIComponent(code));
		expect((await again.signedIn).canRefresh).toBe(true);
	});

	it('says each failure in one sentence: Deny, wrong state, a foreign code, a reused code, an endpoint down, the time limit', async () => {
		const denied = await signIn();
		denied.answer((await consent(denied.url, 'deny')).toString());
		await expect(denied.signedIn).rejects.toThrow('Access was denied on the consent page (access_denied); nothing was written.');

		const forged = await signIn();
		const location = await consent(forged.url, 'allow');
		location.searchParams.set('state', 'someone-elses');
		forged.answer(location.toString());
		await expect(forged.signedIn).rejects.toThrow(/state does not match.*refused/);

		const stateless = await signIn();
		const withoutState = await consent(stateless.url, 'allow');
		withoutState.searchParams.delete('state');
		stateless.answer(withoutState.toString());
		await expect(stateless.signedIn).rejects.toThrow(/carries no state, so it was refused \(a missing state is a forged one/);

		const injected = await signIn({way: 'browser', openBrowser: async () => {}});
		const back = await followBack(await consent(withForeignChallenge(injected.url), 'allow'));
		expect(back.status).toBe(200);
		await expect(injected.signedIn).rejects.toThrow(/refused the authorization code \(invalid_grant: Invalid code verifier\): .*PKCE/);

		const first = await signIn();
		const used = await consent(first.url, 'allow');
		first.answer(used.toString());
		await first.signedIn;
		const second = await signIn();
		second.answer(used.searchParams.get('code')!);
		await expect(second.signedIn).rejects.toThrow(/refused the authorization code \(invalid_grant: Bad Request\)/);

		const down = await signIn();
		const answer = await consent(down.url, 'allow');
		fixture.emulator.setFault('/token', {status: 503, times: 5});
		down.answer(answer.toString());
		await expect(down.signedIn).rejects.toThrow(/token endpoint answered HTTP 503.*nothing was written/i);
		fixture.emulator.clearFaults();

		const slow = await signIn({waitMs: 50});
		await expect(slow.signedIn).rejects.toThrow(/No answer came back within 1 minutes/);
	});

	it('never blocks on a browser that cannot open', async () => {
		const flow = await signIn({way: 'browser', openBrowser: () => Promise.reject(new Error('spawn xdg-open ENOENT'))});
		expect(await flow.browser).toBe(false);
		flow.cancel();
		await expect(flow.signedIn).rejects.toThrow(/given up/);
	});

	it('cannot be used before signing in', async () => {
		await expect(createSource({source: 'login'}).accessToken()).rejects.toThrow(/The login source signs in first/);
	});
});

describe('a revoked refresh token', () => {
	const signedInUser = async () => {
		const flow = await signIn();
		flow.answer((await consent(flow.url, 'allow')).toString());
		return flow.signedIn;
	};
	const refused = (promise: Promise<unknown>) =>
		promise.then(
			() => undefined,
			(error: {message: string; hint?: string}) => error,
		);

	it('of tokscope’s own sign-in says to sign in again with tokscope; of gcloud’s file, with gcloud', async () => {
		const user = await signedInUser();
		const saved = join(fixture.dir, 'signed-in-with-tokscope.json');
		await writeFile(saved, user.authorizedUserFile());
		const signedIn = createSource({source: 'login', signedIn: user, env: fixture.env()});
		const fromSavedFile = createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: saved})});
		const fromGcloudFile = createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser})});
		await signedIn.accessToken();
		fixture.emulator.breakIt({kind: 'revoked-refresh-token'});
		try {
			expect(await refused(signedIn.accessToken())).toMatchObject({
				message: 'The refresh token was revoked or has expired (invalid_grant).',
				hint: `Sign in again: tokscope --source login --client-secret ${fixture.files.oauthClient}`,
			});
			expect(await refused(fromSavedFile.accessToken())).toMatchObject({
				message: 'The refresh token was revoked or has expired (invalid_grant).',
				hint: `Sign in again: tokscope login --client-secret CLIENT_FILE --save ${saved} --force`,
			});
			expect(await refused(fromGcloudFile.accessToken())).toMatchObject({
				message: 'The refresh token was revoked or has expired (invalid_grant).',
				hint: 'Renew it with: gcloud auth application-default login',
			});
		} finally {
			fixture.emulator.heal();
		}
	});
});
