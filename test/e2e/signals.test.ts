import {execFileSync} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {cli, hasTmux, Tmux} from '../support/tmux.js';

if (!hasTmux) console.warn('SKIPPED: tmux is not installed, so the signal tests cannot run.');

// The built TUI in a real terminal: Ctrl-Z and fg, and every way a session ends (Ctrl-C, SSH hangup, kill) leave the
// terminal usable, no demo files (the emulator's private key, a refresh token) behind, and the conventional status.

/** The pane's terminal settings, as `stty -a` shows them: raw mode is -icanon -echo. */
function terminalModes(tmux: Tmux): string {
	const tty = execFileSync('tmux', ['-L', tmux.socket, 'display-message', '-p', '#{pane_tty}'], {encoding: 'utf8'}).trim();
	return execFileSync('stty', ['-F', tty, '-a'], {encoding: 'utf8'});
}

/** The process state letter from /proc: T when stopped. */
async function stateOf(pid: number): Promise<string> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise(done => setTimeout(done, 100));
	}
}

describe.skipIf(!hasTmux)('signals and job control in the TUI', () => {
	let tmux: Tmux | undefined;
	let temp: string;
	beforeEach(async () => {
		temp = await mkdtemp(join(tmpdir(), 'tokscope-signals-'));
	});
	afterEach(async () => {
		await tmux?.kill();
		tmux = undefined;
		await rm(temp, {recursive: true, force: true});
	});

	const demoDirs = async () => (await readdir(temp)).filter(name => name.startsWith('tokscope-demo-'));

	async function startDemo(): Promise<number> {
		tmux = new Tmux(`${cli} --demo; echo EXIT=$?`, {env: {TMPDIR: temp}});
		await tmux.waitFor(/Pick a credential source/, 15_000);
		expect(await demoDirs()).toHaveLength(1);
		return tmux.pid();
	}

	it('Ctrl-Z hands the terminal back and stops; fg (SIGCONT) takes it back, redraws, and q still quits', async () => {
		const pid = await startDemo();
		expect(terminalModes(tmux!)).toMatch(/-icanon\b[\s\S]*-echo\b/);
		tmux!.keys('C-z');
		await until(async () => (await stateOf(pid)) === 'T');
		expect(terminalModes(tmux!)).not.toMatch(/-icanon\b/);
		expect(terminalModes(tmux!)).toMatch(/(^|\s)echo\b/);

		process.kill(pid, 'SIGCONT');
		await tmux!.waitFor(/Pick a credential source/);
		await until(() => /-icanon\b/.test(terminalModes(tmux!)));
		tmux!.keys('q');
		await tmux!.waitFor(/EXIT=0/);
		expect(await demoDirs()).toEqual([]);
	}, 40_000);

	it('SIGTSTP from outside suspends the same way', async () => {
		const pid = await startDemo();
		process.kill(pid, 'SIGTSTP');
		await until(async () => (await stateOf(pid)) === 'T');
		expect(terminalModes(tmux!)).not.toMatch(/-icanon\b/);
		process.kill(pid, 'SIGCONT');
		await until(() => /-icanon\b/.test(terminalModes(tmux!)));
		tmux!.keys('q');
		await tmux!.waitFor(/EXIT=0/);
	}, 40_000);

	it('Ctrl-C exits 130 and removes the demo’s files', async () => {
		await startDemo();
		tmux!.keys('C-c');
		await tmux!.waitFor(/EXIT=130/);
		expect(await demoDirs()).toEqual([]);
		expect(terminalModes(tmux!)).not.toMatch(/-icanon\b/);
	}, 40_000);

	it.each([
		['SIGTERM', 143],
		['SIGHUP', 129],
		['SIGINT', 130],
	] as const)(
		'%s removes the demo’s private key and refresh token and exits %i',
		async (signal, status) => {
			const pid = await startDemo();
			process.kill(pid, signal);
			await tmux!.waitFor(new RegExp(`EXIT=${status}`));
			expect(await demoDirs()).toEqual([]);
		},
		40_000,
	);
});
