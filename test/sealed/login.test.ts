import {chmod, mkdir, readFile, stat, writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {beforeAll, expect, it} from 'vitest';
import type {CredentialFiles} from '../../src/emulator/index.js';
import {describeInBox} from '../support/sealed-box.js';
import {hasTmux, shellQuote, Tmux} from '../support/tmux.js';

// `tokscope login` in the sealed box against accounts.google.com and oauth2.googleapis.com at their real names, both
// ways back: the loopback redirect (the browser on the same machine) and paste-back (the browser elsewhere). The
// browser stand-in runs inside the box too (test/support/box-browser.mjs), since the loopback listener is there.

if (!hasTmux) console.warn('SKIPPED: tmux is not installed, so the sealed paste-back sign-in cannot run.');

describeInBox('tokscope login in the sealed box, at Google’s real names', box => {
	let files: CredentialFiles;
	let home: string;
	let bin: string;
	beforeAll(async () => {
		files = await box.emulator.writeCredentialFiles(join(box.dir, 'creds'));
		home = join(box.dir, 'home');
		bin = join(box.dir, 'bin');
		await mkdir(bin, {recursive: true});
		// The browser opener `open` runs on Linux: it records the address, and the test plays the browser with it.
		await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" > '${join(home, 'opened.txt')}'\n`);
		await chmod(join(bin, 'xdg-open'), 0o755);
	});

	/** The user's browser, inside the box: consent, then come back to the loopback server or print where it ended. */
	const browser = async (url: string, then: 'follow' | 'print') => {
		const result = await box.exec([process.execPath, resolve('test/support/box-browser.mjs'), url, 'allow', then], {env: box.env()});
		expect(result).toMatchObject({code: 0, stderr: ''});
		return result.stdout.trim();
	};

	/** print-access-token from the saved file, as the signed-in user would next run it. */
	const accessTokenFrom = async (saved: string) => {
		const file = JSON.parse(await readFile(saved, 'utf8')) as Record<string, string>;
		// The file gcloud's `auth application-default login` writes: no token_uri, since the client's is Google's own.
		expect(Object.keys(file)).toEqual(['account', 'client_id', 'client_secret', 'refresh_token', 'type', 'universe_domain']);
		expect(file).toMatchObject({type: 'authorized_user', account: box.emulator.userEmail, client_id: box.emulator.oauthClient.id});
		const printed = await box.cli(['print-access-token', '--source', 'adc'], {env: box.env({GOOGLE_APPLICATION_CREDENTIALS: saved})});
		expect(printed).toMatchObject({code: 0, stderr: ''});
		expect(printed.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
	};

	it('the browser way: accounts.google.com sends the browser back to the loopback server, and the saved file then works', async () => {
		const saved = join(home, 'adc-loopback.json');
		const running = box.cli(['login', '--client-secret', files.oauthClient, '--browser', '--save', saved, '--debug'], {
			env: box.env({HOME: home, PATH: `${bin}:/usr/bin:/bin`}),
		});
		const opened = join(home, 'opened.txt');
		let url = '';
		for (let tries = 0; tries < 100 && !url; tries++) {
			url = (await readFile(opened, 'utf8').catch(() => '')).trim();
			if (!url) await new Promise(done => setTimeout(done, 100));
		}
		expect(url).toMatch(/^https:\/\/accounts\.google\.com\/o\/oauth2\/auth\?/);
		expect(new URL(url).searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?$/);
		const back = JSON.parse(await browser(url, 'follow')) as {status: number; page: string};
		expect(back).toMatchObject({status: 200, page: expect.stringContaining('You can close this tab')});

		const result = await running;
		expect(result.code).toBe(0);
		expect(result.stderr).toContain(`Signed in as ${box.emulator.userEmail}. Saved an authorized_user credential to ${saved} (mode 0600)`);
		// The code went to Google's token endpoint at its real name, over HTTPS.
		expect(result.stderr).toMatch(/tokscope debug: POST https:\/\/oauth2\.googleapis\.com\/token → HTTP 200/);
		expect((await stat(saved)).mode & 0o777).toBe(0o600);
		await accessTokenFrom(saved);
	}, 30_000);

	it.skipIf(!hasTmux)(
		'paste-back: the address the browser ended on, pasted into the terminal, signs in',
		async () => {
			const saved = join(home, 'adc-pasted.json');
			const command = box.enter(
				[process.execPath, resolve('dist/cli.js'), 'login', '--client-secret', files.oauthClient, '--save', saved],
				box.env({TERM: 'tmux-256color', HOME: home, SSH_CONNECTION: '192.0.2.2 50000 192.0.2.1 22'}),
			);
			// Wide enough that the URL sits on one row, as the user would select it.
			const tmux = new Tmux(command.map(shellQuote).join(' '), {width: 1000, height: 30});
			try {
				const screen = await tmux.waitFor(/paste here:/);
				expect(screen).toMatch(/paste-back, because you are connected over SSH \(SSH_CONNECTION is set\)/);
				const url = screen.split('\n').find(line => line.startsWith('https://accounts.google.com/o/oauth2/auth?'))!;
				const location = await browser(url.trim(), 'print');
				expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?\?.*code=/);
				tmux.type(location);
				tmux.keys('Enter');
				await tmux.waitFor(/Saved an authorized_user credential/);
			} finally {
				await tmux.kill();
			}
			expect((await stat(saved)).mode & 0o777).toBe(0o600);
			await accessTokenFrom(saved);
		},
		30_000,
	);
});
