import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {decodeJwt} from 'jose';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {emulatorEnvironment} from '../../src/emulator/environment.js';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';
import {runCli} from '../support/cli.js';
import {cli, hasTmux, Tmux} from '../support/tmux.js';
import {hasXvfb, XDisplay} from '../support/xvfb.js';

// On a laptop the copy lands on the desktop's clipboard through clipboardy. Here a real X server (Xvfb) stands in for
// the desktop, and the bundled CLI copies through clipboardy's xsel as it would on a Linux workstation.
if (!hasXvfb) console.warn('SKIPPED: the local clipboard tests need Xvfb (.ci/run installs xvfb).');

const sleep = (ms: number) => new Promise(done => setTimeout(done, ms));

describe.skipIf(!hasXvfb)('copy to the local (system) clipboard', () => {
	let x: XDisplay;
	let emulator: Emulator;
	let dir: string;
	let env: NodeJS.ProcessEnv;
	let tmux: Tmux | undefined;
	beforeAll(async () => {
		x = await XDisplay.start();
		emulator = await startEmulator();
		dir = await mkdtemp(join(tmpdir(), 'tokscope-xclip-'));
		env = {...emulatorEnvironment(emulator, await emulator.writeCredentialFiles(dir)), DISPLAY: x.display};
	}, 30_000);
	afterEach(async () => {
		await tmux?.kill();
		tmux = undefined;
	});
	afterAll(async () => {
		x?.stop();
		await emulator?.close();
		await rm(dir, {recursive: true, force: true});
	});

	it('print-access-token --copy puts the token on the clipboard and nothing on stdout', async () => {
		const result = await runCli(['print-access-token', '--source', 'metadata', '--copy'], {env});
		expect(result).toMatchObject({code: 0, stdout: '', stderr: 'Copied the access token to the system clipboard.\n'});
		expect(await x.clipboard()).toMatch(/^ya29\.[\w.-]{20,}$/);
	});

	it(
		'--clear-clipboard returns at once, and a background tokscope clears the token when its time is up',
		{tags: ['timing'], timeout: 15_000},
		async () => {
			const result = await runCli(
				['print-identity-token', '--source', 'metadata', '--audiences', 'https://clear.run.app', '--clear-clipboard', '2'],
				{env},
			);
			expect(result).toMatchObject({
				code: 0,
				stdout: '',
				stderr: 'Copied the ID token to the system clipboard (the clipboard will be cleared in 2 s).\n',
			});
			expect(result.ms).toBeLessThan(2000);
			expect(decodeJwt(await x.clipboard())).toMatchObject({aud: 'https://clear.run.app'});
			await sleep(3500);
			expect(await x.clipboard()).toBe('');
		},
	);

	it('--clear-clipboard leaves alone what the user copied since', async () => {
		await runCli(['print-access-token', '--source', 'metadata', '--copy', '--clear-clipboard', '2'], {env});
		expect(await x.clipboard()).toMatch(/^ya29\./);
		await x.copy('the user’s own text');
		await sleep(3500);
		expect(await x.clipboard()).toBe('the user’s own text');
	}, 15_000);

	it.skipIf(!hasTmux)(
		'in the live view c copies to the clipboard, and quitting right after still clears it on time',
		async () => {
			tmux = new Tmux(`${cli} --source metadata --audience https://live-clear.run.app --clear-clipboard 3`, {
				width: 120,
				height: 40,
				env: env as Record<string, string>,
			});
			await tmux.waitFor(/aud\s+https:\/\/live-clear\.run\.app/, 15_000);
			tmux.keys('c');
			await tmux.waitFor(/Copied the ID token to the system clipboard \(the clipboard will be cleared in 3 s\)\./);
			expect(decodeJwt(await x.clipboard())).toMatchObject({aud: 'https://live-clear.run.app'});
			tmux.keys('q');
			await sleep(1000);
			expect(decodeJwt(await x.clipboard())).toMatchObject({aud: 'https://live-clear.run.app'});
			await sleep(3000);
			expect(await x.clipboard()).toBe('');
		},
		40_000,
	);
});
