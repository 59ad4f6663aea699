import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {decodeJwt} from 'jose';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {emulatorEnvironment} from '../../src/emulator/environment.js';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';
import {cli, hasTmux, shellQuote, Tmux} from '../support/tmux.js';

if (!hasTmux) console.warn('SKIPPED: the OSC 52 copy tests need tmux (.ci/run installs it).');

/** The token the live view shows after `v`: whole lines of the terminal's width, between its label and the expiry line. */
function revealedToken(screen: string): string {
	const match = /^token \(revealed[^\n]*\n([\s\S]*?)\n(?:expires|expired)/m.exec(screen);
	if (!match) throw new Error(`no revealed token on screen:\n${screen}`);
	return (match[1] ?? '').replaceAll(/\s+/g, '');
}

describe.skipIf(!hasTmux)('copy through OSC 52 into tmux (set-clipboard on)', () => {
	let tmux: Tmux | undefined;
	afterEach(async () => {
		await tmux?.kill();
		tmux = undefined;
	});

	it('in the live view, c copies exactly the token that v reveals, and h, u and j copy what they name', async () => {
		tmux = new Tmux(`${cli} --demo --clipboard osc52`, {width: 100, height: 40});
		await tmux.waitFor(/Pick a credential source/, 15_000);
		tmux.keys('Enter');
		await tmux.waitFor(/Audience for the ID token/);
		// The demo's suggested audience is in the line: ctrl-u clears it before ours is typed.
		tmux.keys('C-u');
		await tmux.waitFor(/empty: no ID token, the access token alone/);
		tmux.type('https://copy-check.run.app');
		tmux.keys('Enter');
		const masked = await tmux.waitFor(/aud\s+https:\/\/copy-check\.run\.app/, 15_000);

		tmux.keys('c');
		await tmux.waitFor(/Copied the ID token via OSC 52 through tmux\./);
		const copied = tmux.buffer();
		expect(decodeJwt(copied)).toMatchObject({aud: 'https://copy-check.run.app'});
		// Copying never puts the token on screen: only the masked form was there.
		expect(masked).not.toContain(copied.slice(20, 60));
		expect(tmux.screen()).not.toContain(copied.slice(20, 60));

		tmux.keys('v');
		const shown = revealedToken(await tmux.waitFor(/^token \(revealed[^\n]*\neyJ[\w-]{20}[\s\S]*\n(?:expires|expired)/m));
		expect(copied).toBe(shown);

		tmux.keys('h');
		await tmux.waitFor(/Copied the Authorization header with the ID token via OSC 52 through tmux\./);
		expect(tmux.buffer()).toBe(`Authorization: Bearer ${copied}`);

		tmux.keys('u');
		await tmux.waitFor(/Copied a curl command calling https:\/\/copy-check\.run\.app with the ID token/);
		expect(tmux.buffer()).toBe(`curl -H 'Authorization: Bearer ${copied}' -- https://copy-check.run.app`);

		tmux.keys('j');
		await tmux.waitFor(/Copied the ID token's claims as JSON/);
		expect(JSON.parse(tmux.buffer())).toEqual(decodeJwt(copied));
		tmux.keys('q');
	}, 60_000);

	it('with --clear-clipboard says the terminal keeps an OSC 52 copy instead of pretending to clear it', async () => {
		tmux = new Tmux(`${cli} --demo --source metadata --audience https://clear-check.run.app --clipboard osc52 --clear-clipboard 5`, {
			width: 140,
			height: 40,
		});
		await tmux.waitFor(/aud\s+https:\/\/clear-check\.run\.app/, 15_000);
		tmux.keys('c');
		await tmux.waitFor(/Copied the ID token via OSC 52 through tmux \(the terminal keeps OSC 52 copies, so clear it there yourself\)\./);
		expect(decodeJwt(tmux.buffer())).toMatchObject({aud: 'https://clear-check.run.app'});
		tmux.keys('q');
	}, 30_000);
});

describe.skipIf(!hasTmux)('print-access-token --copy with stdout redirected', () => {
	let emulator: Emulator;
	let dir: string;
	let tmux: Tmux | undefined;
	beforeAll(async () => {
		emulator = await startEmulator();
		dir = await mkdtemp(join(tmpdir(), 'tokscope-osc52-'));
	});
	afterAll(async () => {
		await tmux?.kill();
		await emulator?.close();
		await rm(dir, {recursive: true, force: true});
	});

	it('still reaches the terminal (through /dev/tty), leaves the pipe empty and the token off the screen', async () => {
		const files = await emulator.writeCredentialFiles(dir);
		const piped = join(dir, 'stdout.txt');
		tmux = new Tmux(
			`sh -c ${shellQuote(`${cli} print-access-token --source metadata --copy --clipboard osc52 | cat > ${piped}; echo EXIT=$?`)}`,
			{
				env: emulatorEnvironment(emulator, files),
			},
		);
		const screen = await tmux.waitFor(/EXIT=0/, 20_000);
		expect(screen).toMatch(/Copied the access token via OSC 52 through tmux\./);
		expect(screen).not.toMatch(/ya29\./);
		expect(await readFile(piped, 'utf8')).toBe('');
		expect(tmux.buffer()).toMatch(/^ya29\.[\w.-]+$/);
	}, 30_000);
});
