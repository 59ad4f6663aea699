import {spawn} from 'node:child_process';
import {chmod, mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join, resolve} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {consent, followBack, withForeignChallenge} from '../support/browser.js';
import {startFixture, type Fixture} from '../support/fixture.js';
import {cli, hasTmux, Tmux} from '../support/tmux.js';

// `tokscope login` from the built CLI against the emulator; the test plays the user's browser.

let fixture: Fixture;
let home: string;
let bin: string;
beforeAll(async () => {
	fixture = await startFixture();
	home = join(fixture.dir, 'home');
	bin = join(fixture.dir, 'bin');
	await mkdir(join(home, 'tmp'), {recursive: true});
	await mkdir(bin);
	// The browser opener `open` runs on Linux: it records the address instead of opening anything.
	await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${join(home, 'opened.txt')}'\n`);
	await chmod(join(bin, 'xdg-open'), 0o755);
});
afterAll(async () => fixture.close());

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
	PATH: `${bin}:${process.env.PATH}`,
	HOME: home,
	TMPDIR: join(home, 'tmp'),
	CLOUDSDK_CONFIG: join(home, 'gcloud'),
	...extra,
});

interface Running {
	/** Resolves with the authorization URL once tokscope has printed it on stderr. */
	url: Promise<string>;
	done: Promise<{code: number | null; stdout: string; stderr: string}>;
}

function tokscope(args: string[], extra: NodeJS.ProcessEnv = {}): Running {
	const child = spawn(process.execPath, [resolve('dist/cli.js'), ...args], {env: env(extra), stdio: ['pipe', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	let found: (url: string) => void;
	const url = new Promise<string>(done => (found = done));
	child.stdout.on('data', chunk => (stdout += chunk));
	child.stderr.on('data', chunk => {
		stderr += chunk;
		const line = stderr.split('\n').find(candidate => candidate.startsWith(`${fixture.emulator.url}/o/oauth2/auth?`));
		if (line) found(line);
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
	const done = new Promise<{code: number | null; stdout: string; stderr: string}>((finish, fail) => {
		child.on('error', fail);
		child.on('close', code => {
			clearTimeout(timer);
			finish({code, stdout, stderr});
		});
	});
	const printed = Promise.race([url, done.then(result => Promise.reject(new Error(`tokscope ended first: ${result.stderr}`)))]);
	// Runs that fail before printing a URL never await it.
	printed.catch(() => {});
	return {url: printed, done};
}

/** Every file under `dir` but `except`, as text. */
async function filesUnder(dir: string, except: string): Promise<string[]> {
	const names = await readdir(dir, {recursive: true, withFileTypes: true});
	const files = names
		.filter(entry => entry.isFile())
		.map(entry => join(entry.parentPath, entry.name))
		.filter(path => path !== except);
	return Promise.all(files.map(path => readFile(path, 'utf8')));
}

describe('tokscope login, the browser way', () => {
	it('opens the browser, takes the redirect on its loopback server, saves a 0600 authorized_user file that adc then uses', async () => {
		const saved = join(home, 'adc.json');
		const run = tokscope(['login', '--client-secret', fixture.files.oauthClient, '--browser', '--save', saved, '--debug']);
		const url = await run.url;
		const back = await followBack(await consent(url, 'allow'));
		expect(back).toMatchObject({status: 200, page: expect.stringContaining('You can close this tab')});
		const result = await run.done;
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(
			`Signed in as ${fixture.emulator.userEmail}. Saved an authorized_user credential to ${saved} (mode 0600)`,
		);
		// The URL alone on its line, and the same URL handed to the browser opener.
		expect(result.stderr.split('\n')).toContain(url);
		expect((await readFile(join(home, 'opened.txt'), 'utf8')).trim()).toBe(url);
		// --debug traced the code exchange.
		expect(result.stderr).toMatch(/tokscope debug: POST http:\/\/127\.0\.0\.1:\d+\/token → HTTP 200/);

		expect((await stat(saved)).mode & 0o777).toBe(0o600);
		const file = JSON.parse(await readFile(saved, 'utf8')) as Record<string, string>;
		expect(Object.keys(file)).toEqual(['account', 'client_id', 'client_secret', 'refresh_token', 'token_uri', 'type', 'universe_domain']);
		expect(file).toMatchObject({
			type: 'authorized_user',
			account: fixture.emulator.userEmail,
			client_id: fixture.emulator.oauthClient.id,
			token_uri: `${fixture.emulator.url}/token`,
		});

		const printed = tokscope(['print-access-token', '--source', 'adc', '--debug'], {GOOGLE_APPLICATION_CREDENTIALS: saved});
		const token = await printed.done;
		expect(token.code).toBe(0);
		expect(token.stdout).toMatch(/^ya29\.[\w.-]+\n$/);

		// The refresh token is in the saved file and nowhere else: no output, no --debug trace, no other file.
		const refreshToken = file.refresh_token!;
		expect(refreshToken).toMatch(/^1\/\//);
		for (const output of [result.stdout, result.stderr, token.stdout, token.stderr, back.page]) expect(output).not.toContain(refreshToken);
		for (const text of await filesUnder(home, saved)) expect(text).not.toContain(refreshToken);

		// Not replaced without --force, before any browser is involved; replaced with it.
		const again = await tokscope(['login', '--client-secret', fixture.files.oauthClient, '--browser', '--save', saved]).done;
		expect(again).toMatchObject({
			code: 1,
			stderr: `tokscope: ${saved} already exists, so it was not replaced; pass --force to replace it.\n`,
		});
		const forced = tokscope(['login', '--client-secret', fixture.files.oauthClient, '--browser', '--save', saved, '--force']);
		await followBack(await consent(await forced.url, 'allow'));
		expect((await forced.done).code).toBe(0);
		expect(JSON.parse(await readFile(saved, 'utf8')).refresh_token).not.toBe(refreshToken);
		expect((await stat(saved)).mode & 0o777).toBe(0o600);
	}, 40_000);

	it('without --save writes nothing and prints only the access token on stdout', async () => {
		const before = await readdir(home, {recursive: true});
		const run = tokscope(['login', '--client-secret', fixture.files.oauthClient, '--browser']);
		await followBack(await consent(await run.url, 'allow'));
		const result = await run.done;
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
		expect(result.stderr).toContain('Nothing was written');
		expect((await readdir(home, {recursive: true})).filter(name => name !== 'opened.txt').sort()).toEqual(
			before.filter(name => name !== 'opened.txt').sort(),
		);
	});

	it('ends in one sentence, exit 1 and no file on Deny, a wrong state, and a code for another PKCE challenge', async () => {
		const saved = join(home, 'never.json');
		const login = () => tokscope(['login', '--client-secret', fixture.files.oauthClient, '--no-browser', '--save', saved]);

		const denied = login();
		const deniedPage = await followBack(await consent(await denied.url, 'deny'));
		expect(deniedPage.status).toBe(400);
		expect((await denied.done).stderr).toMatch(
			/\ntokscope: Access was denied on the consent page \(access_denied\); nothing was written\.\n$/,
		);

		const forged = login();
		const location = await consent(await forged.url, 'allow');
		location.searchParams.set('state', 'not-this-sign-in');
		expect((await followBack(location)).status).toBe(400);
		const forgedResult = await forged.done;
		expect(forgedResult.code).toBe(1);
		expect(forgedResult.stderr).toMatch(/tokscope: The answer's state does not match the one this sign-in sent, so it was refused/);

		const injected = login();
		await followBack(await consent(withForeignChallenge(await injected.url), 'allow'));
		const injectedResult = await injected.done;
		expect(injectedResult.code).toBe(1);
		expect(injectedResult.stderr).toMatch(
			/tokscope: The token endpoint refused the authorization code \(invalid_grant: Invalid code verifier\).*PKCE/,
		);

		await expect(stat(saved)).rejects.toThrow(/ENOENT/);
	}, 30_000);

	it('refuses a client file of the wrong shape before anything starts', async () => {
		const result = await tokscope(['login', '--client-secret', fixture.files.serviceAccountKey]).done;
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^tokscope: \S+ is a service-account key, not an OAuth client file: download a Desktop app client/);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});
});

describe('tokscope login, against a forged answer or a hostile token endpoint', () => {
	// A token endpoint of our own: it records every code it is sent and answers what the test says.
	let tokenServer: Server;
	let answer: Record<string, unknown> = {};
	const codesSent: string[] = [];
	let clientFile: string;
	beforeAll(async () => {
		tokenServer = createServer((request, response) => {
			let body = '';
			request.on('data', chunk => (body += chunk));
			request.on('end', () => {
				codesSent.push(new URLSearchParams(body).get('code') ?? '');
				response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(answer));
			});
		});
		await new Promise<void>(done => tokenServer.listen(0, '127.0.0.1', done));
		const tokenUri = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
		const client = JSON.parse(await readFile(fixture.files.oauthClient, 'utf8')) as {installed: Record<string, unknown>};
		clientFile = join(fixture.dir, 'client-with-own-token-endpoint.json');
		await writeFile(clientFile, JSON.stringify({installed: {...client.installed, token_uri: tokenUri}}));
	});
	afterAll(async () => new Promise(done => tokenServer.close(done)));

	/** Starts a login and sends its loopback server `query` (a real HTTP request, as a page in the browser could). */
	async function answerWith(query: (state: string) => string, saved: string) {
		const run = tokscope(['login', '--client-secret', clientFile, '--no-browser', '--save', saved]);
		const url = new URL(await run.url);
		const redirect = url.searchParams.get('redirect_uri')!;
		const back = await fetch(`${redirect}?${query(url.searchParams.get('state')!)}`);
		return {back: {status: back.status, page: await back.text()}, result: await run.done};
	}

	it('refuses an answer with no state or a wrong one: the code is never exchanged, exit 1, nothing written', async () => {
		answer = {access_token: 'ya29.attacker', expires_in: 3600, token_type: 'Bearer', refresh_token: '1//attacker'};
		const saved = join(home, 'forged.json');
		const cases: Array<[(state: string) => string, RegExp]> = [
			[() => 'code=attackers-code', /tokscope: The answer carries no state, so it was refused \(a missing state is a forged one:/],
			[() => 'code=attackers-code&state=', /tokscope: The answer carries no state, so it was refused/],
			[state => `code=attackers-code&state=${state}x`, /tokscope: The answer's state does not match the one this sign-in sent/],
			[() => 'error=access_denied', /tokscope: The answer carries no state, so it was refused/],
		];
		for (const [query, sentence] of cases) {
			const {back, result} = await answerWith(query, saved);
			expect(back.status).toBe(400);
			expect(result.code).toBe(1);
			expect(result.stderr).toMatch(sentence);
			expect(result.stderr).toMatch(/nothing was written\.\n$/);
			expect(result.stderr + result.stdout).not.toContain('attacker');
		}
		expect(codesSent).toEqual([]);
		await expect(stat(saved)).rejects.toThrow(/ENOENT/);
	}, 30_000);

	it('refuses a token answer no server should give: shell syntax, a lifetime of 1e308, a negative or a word', async () => {
		const saved = join(home, 'hostile-answer.json');
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{access_token: 'ya29.a$(id)', expires_in: 3600}, /is not an access token: characters no access token has/],
			[{access_token: 'ya29.a`id`', expires_in: 3600}, /is not an access token: characters no access token has/],
			[{access_token: 'ya29.fine', expires_in: 1e308}, /said the token lives 1e\+308 seconds, which no token does/],
			[{access_token: 'ya29.fine', expires_in: -60}, /said the token lives -60 seconds, which no token does/],
			[{access_token: 'ya29.fine', expires_in: 'soon'}, /said the token lives "soon" seconds, which no token does/],
			[{access_token: 'ya29.fine', expires_in: 3600, id_token: 'not.a\u001b]52;jwt'}, /is not an ID token \(a JWT\)/],
		];
		for (const [tokens, sentence] of cases) {
			answer = {token_type: 'Bearer', refresh_token: '1//never-saved', ...tokens};
			const {back, result} = await answerWith(state => `code=the-users-code&state=${state}`, saved);
			expect(back.status).toBe(200);
			expect(result.code).toBe(1);
			expect(result.stdout).toBe('');
			const lines = result.stderr.trim().split('\n');
			expect(lines.at(-1)).toMatch(sentence);
			expect(lines.at(-1)).toMatch(/^tokscope: The token endpoint.*nothing was written\.$/);
			expect(result.stderr).not.toContain(String(tokens.access_token));
			expect(result.stderr).not.toContain('never-saved');
		}
		await expect(stat(saved)).rejects.toThrow(/ENOENT/);
	}, 30_000);

	it('names a --save path holding ESC or a bidi override visibly, and saves to exactly that path', async () => {
		answer = {access_token: 'ya29.fine', expires_in: 3600, token_type: 'Bearer', refresh_token: '1//saved'};
		const saved = join(home, 'odd\u001B[2J\u202Ename.json');
		const {result} = await answerWith(state => `code=the-users-code&state=${state}`, saved);
		expect(result.code).toBe(0);
		expect(result.stderr).toContain('Saved an authorized_user credential to ');
		expect(result.stderr).toContain('odd\\u001b[2J\\u202ename.json (mode 0600)');
		for (const raw of ['\u001b', '\u202e']) expect(result.stderr).not.toContain(raw);
		expect((await stat(saved)).mode & 0o777).toBe(0o600);
	}, 30_000);
});

describe.skipIf(!hasTmux)('tokscope login, the paste-back way, in a real terminal (tmux)', () => {
	let tmux: Tmux | undefined;
	afterEach(() => tmux?.kill());

	it('prints the URL, counts down, and takes the address the browser ended on', async () => {
		const saved = join(home, 'pasted.json');
		// Wide enough that the URL sits on one row, as the user would select it.
		tmux = new Tmux(`${cli} login --client-secret ${fixture.files.oauthClient} --save ${saved}`, {
			width: 1000,
			height: 30,
			env: {HOME: home, SSH_CONNECTION: '192.0.2.2 50000 192.0.2.1 22'},
		});
		const screen = await tmux.waitFor(/paste here:/);
		expect(screen).toMatch(/paste-back, because you are connected over SSH \(SSH_CONNECTION is set\)/);
		expect(screen).toMatch(/\[4:5\d left · Esc or Ctrl-C gives up\]/);
		const url = screen.split('\n').find(line => line.startsWith(`${fixture.emulator.url}/o/oauth2/auth?`))!;
		const location = await consent(url, 'allow');
		tmux.type('this is not it');
		tmux.keys('Enter');
		await tmux.waitFor(/Paste the whole address your browser ended on/);
		tmux.type(location.toString());
		tmux.keys('Enter');
		const done = await tmux.waitFor(/Saved an authorized_user credential/);
		expect((await stat(saved)).mode & 0o777).toBe(0o600);
		const refreshToken = (JSON.parse(await readFile(saved, 'utf8')) as {refresh_token: string}).refresh_token;
		expect(done).not.toContain(refreshToken);
	}, 30_000);

	it('in the TUI: picks the source, asks the client file, signs in, and shows the ID token for the client ID with why', async () => {
		tmux = new Tmux(`${cli} --demo --no-browser`, {width: 1000, height: 40, env: {HOME: home}});
		await tmux.waitFor(/Pick a credential source/);
		tmux.keys('7');
		await tmux.waitFor(/OAuth client secret file[\s\S]*enter keeps .*oauth-client\.json/);
		tmux.keys('Enter');
		const screen = await tmux.waitFor(/left · esc gives up/);
		const url = screen
			.split('\n')
			.map(line => line.trim())
			.find(line => /^http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/auth\?/.test(line))!;
		const location = await consent(url, 'allow');
		tmux.type(location.toString());
		await tmux.waitFor(/authuser=0&prompt=consent\s*\n/);
		tmux.keys('Enter');
		const live = await tmux.waitFor(/aud\s+\d+-emulator\.apps\.googleusercontent\.com/);
		expect(live).toContain("aud is this OAuth client's ID");
		expect(live).toContain('demo-user@example.com');
		tmux.keys('q');
	}, 30_000);

	it('at 80 columns keeps the prompt to one line after a bad paste, so the countdown adds no line', async () => {
		tmux = new Tmux(`${cli} login --client-secret ${fixture.files.oauthClient} --no-browser`, {width: 80, height: 24, env: {HOME: home}});
		await tmux.waitFor(/paste here:/);
		tmux.type('this is not it');
		tmux.keys('Enter');
		await tmux.waitFor(/Paste the whole address your browser ended on/);
		tmux.type('x'.repeat(120));
		// Lines the pane has used: those scrolled off the top, and the cursor's row.
		const used = () => Number(tmux!.value('#{history_size}')) + Number(tmux!.value('#{cursor_y}'));
		const before = used();
		for (let second = 0; second < 3; second++) {
			await new Promise(done => setTimeout(done, 1100));
			expect(used()).toBe(before);
		}
		const prompt = tmux
			.screen()
			.split('\n')
			.find(line => line.startsWith('['))!;
		expect(prompt).toMatch(/^\[\d:\d\d left · Esc or Ctrl-C gives up\] paste here: …x+$/);
		expect(prompt.length).toBeLessThan(80);
		tmux.keys('Escape');
		await tmux.waitFor(/The sign-in was given up/);
	}, 30_000);

	it('says on a line of its own that no browser could be opened, not into the prompt', async () => {
		// No xdg-open on PATH: the browser cannot be asked.
		tmux = new Tmux(`${cli} login --client-secret ${fixture.files.oauthClient} --browser`, {
			width: 200,
			height: 30,
			env: {HOME: home, PATH: join(fixture.dir, 'no-programs')},
		});
		const screen = await tmux.waitFor(/No browser could be opened here[\s\S]*paste here:/);
		const lines = screen.split('\n');
		expect(lines).toContain('No browser could be opened here: visit the address above yourself.');
		expect(lines.find(line => line.includes('paste here:'))).toMatch(/^\[\d:\d\d left · Esc or Ctrl-C gives up\] paste here:\s*$/);
		tmux.keys('Escape');
		await tmux.waitFor(/The sign-in was given up/);
	}, 30_000);

	it('gives up on Esc', async () => {
		tmux = new Tmux(`${cli} login --client-secret ${fixture.files.oauthClient} --no-browser`, {width: 1000, height: 30, env: {HOME: home}});
		await tmux.waitFor(/paste here:/);
		tmux.keys('Escape');
		await tmux.waitFor(/tokscope: The sign-in was given up; nothing was written\./);
	}, 30_000);
});
