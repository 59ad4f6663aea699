import {spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {emulatorEnvironment} from '../../src/emulator/environment.js';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';
import {runCli} from '../support/cli.js';

/** The built CLI in a session of its own (setsid): no controlling terminal, as under cron or in a CI job. */
function runDetached(args: string[], env: NodeJS.ProcessEnv): Promise<{code: number | null; stdout: string; stderr: string}> {
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, [resolve('dist/cli.js'), ...args], {
			env: {PATH: process.env.PATH, ...env},
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += chunk));
		child.stderr.on('data', chunk => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		child.on('error', fail);
		child.on('close', code => {
			clearTimeout(timer);
			done({code, stdout, stderr});
		});
	});
}

describe('copying with no terminal and no system clipboard', () => {
	let emulator: Emulator;
	let dir: string;
	beforeAll(async () => {
		emulator = await startEmulator({services: false});
		dir = await mkdtemp(join(tmpdir(), 'tokscope-no-terminal-'));
	});
	afterAll(async () => {
		await emulator.close();
		await rm(dir, {recursive: true, force: true});
	});

	it('print-access-token --copy fails with one sentence instead of writing OSC 52 (the token in base64) to stdout', async () => {
		const env = emulatorEnvironment(emulator, await emulator.writeCredentialFiles(dir));
		const result = await runDetached(['print-access-token', '--source', 'metadata', '--copy'], env);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(
			/^tokscope: There is no terminal to copy through \(OSC 52 needs one\) and no system clipboard here, so nothing was copied\.\n/,
		);
		expect(result.code).toBe(1);
	}, 30_000);
});

describe('--clear-clipboard', () => {
	it('refuses 1e10 seconds in a sentence rather than promising it and clearing at once', async () => {
		const result = await runCli(['print-access-token', '--source', 'metadata', '--clear-clipboard', '1e10']);
		expect(result.stderr).toBe('tokscope: --clear-clipboard waits at most 86400 seconds (a day), not 1e10.\n');
		expect(result.code).not.toBe(0);
		expect(result.stdout).toBe('');
	});
});
