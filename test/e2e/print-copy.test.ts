import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {emulatorEnvironment} from '../../src/emulator/environment.js';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';
import {cli, hasTmux, Tmux} from '../support/tmux.js';

describe.skipIf(!hasTmux)('print-access-token --copy in a terminal', () => {
	let emulator: Emulator;
	let dir: string;
	let tmux: Tmux | undefined;
	beforeAll(async () => {
		emulator = await startEmulator();
		dir = await mkdtemp(join(tmpdir(), 'tokscope-print-copy-'));
	});
	afterAll(async () => {
		await tmux?.kill();
		await emulator.close();
		await rm(dir, {recursive: true, force: true});
	});

	it('copies instead of printing, and says how without showing the token', async () => {
		const files = await emulator.writeCredentialFiles(dir);
		tmux = new Tmux(`${cli} print-access-token --source metadata --copy --clipboard osc52`, {env: emulatorEnvironment(emulator, files)});
		const screen = await tmux.waitFor(/Copied the access token via OSC 52/);
		expect(screen).not.toMatch(/ya29\./);
		expect(tmux.buffer()).toMatch(/^ya29\.[\w.-]+$/);
	}, 20_000);
});
