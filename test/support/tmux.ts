import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** The built CLI run by this very Node (24), as a user would run it. */
export const cli = `${process.execPath} ${resolve('dist/cli.js')}`;

/**
 * A private tmux server driving one real terminal of a given size. The program gets a temp directory of its own
 * (unless the test names one with TMPDIR), and closing the terminal checks that it left nothing there.
 */
export class Tmux {
	readonly socket = `tokscope-test-${randomBytes(4).toString('hex')}`;
	#temp: string | undefined;

	constructor(command: string, options: {width?: number; height?: number; env?: Record<string, string>} = {}) {
		this.#temp = options.env?.TMPDIR ? undefined : mkdtempSync(join(tmpdir(), 'tokscope-tmux-'));
		const env = Object.entries({...(this.#temp ? {TMPDIR: this.#temp} : {}), ...options.env})
			.map(([name, value]) => `${name}=${shellQuote(value)}`)
			.join(' ');
		this.#tmux(
			'-f',
			'/dev/null',
			'new-session',
			'-d',
			'-x',
			String(options.width ?? 80),
			'-y',
			String(options.height ?? 24),
			`env ${env} ${command}; sleep 30`,
		);
		this.#tmux('set-option', '-g', 'set-clipboard', 'on');
	}

	keys(...keys: string[]): void {
		this.#tmux('send-keys', ...keys);
	}

	/** Literal text, not key names. */
	type(text: string): void {
		this.#tmux('send-keys', '-l', text);
	}

	/**
	 * Pastes `text` as a terminal does (tmux load-buffer, then paste-buffer -p): wrapped in bracketed-paste markers when
	 * the program asked for them, as plain reads otherwise.
	 */
	paste(text: string): void {
		const dir = mkdtempSync(join(tmpdir(), 'tokscope-tmux-paste-'));
		try {
			writeFileSync(join(dir, 'buffer'), text);
			this.#tmux('load-buffer', '-b', 'pasted', join(dir, 'buffer'));
			this.#tmux('paste-buffer', '-p', '-d', '-b', 'pasted');
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	}

	screen(): string {
		return this.#tmux('capture-pane', '-p');
	}

	/** A tmux format of the pane, e.g. `#{history_size}` (lines scrolled off the top) or `#{alternate_on}`. */
	value(format: string): string {
		return this.#tmux('display-message', '-p', format).trim();
	}

	/** Everything the pane holds, its scrollback included. */
	history(): string {
		return this.#tmux('capture-pane', '-p', '-S', '-', '-E', '-');
	}

	buffer(): string {
		const result = spawnSync('tmux', ['-L', this.socket, 'show-buffer'], {encoding: 'utf8'});
		return result.status === 0 ? result.stdout : '';
	}

	resize(width: number, height: number): void {
		this.#tmux('resize-window', '-x', String(width), '-y', String(height));
	}

	/** Polls the screen until it matches, or fails with what was on screen. */
	async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		let screen = '';
		while (Date.now() < deadline) {
			screen = this.screen();
			if (pattern.test(screen)) return screen;
			await new Promise(done => setTimeout(done, 100));
		}
		throw new Error(`Timed out waiting for ${pattern} on screen:\n${screen}`);
	}

	/** The pid of the program in the pane: the child of the pane's shell (env execs into it). */
	pid(): number {
		const shell = this.#tmux('display-message', '-p', '#{pane_pid}').trim();
		return Number(execFileSync('pgrep', ['-P', shell], {encoding: 'utf8'}).trim().split('\n')[0]);
	}

	/**
	 * Closes the terminal, as a dropped SSH session does (the program gets SIGHUP), and fails when the program left
	 * anything in its temp directory (the demo's private key and refresh token must go whatever ends it).
	 */
	async kill(): Promise<void> {
		spawnSync('tmux', ['-L', this.socket, 'kill-server']);
		const temp = this.#temp;
		if (!temp) return;
		this.#temp = undefined;
		const left = () =>
			readdirSync(temp).filter(name => !statSync(join(temp, name)).isDirectory() || readdirSync(join(temp, name)).length > 0);
		// The program is ending (its SIGHUP handler removes the demo's files): a moment, at most 5 s.
		for (let waited = 0; left().length > 0 && waited < 5000; waited += 50) await new Promise(done => setTimeout(done, 50));
		const leftovers = left();
		rmSync(temp, {recursive: true, force: true});
		if (leftovers.length > 0) throw new Error(`The program left ${leftovers.join(', ')} in its temp directory.`);
	}

	#tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}
}

export function shellQuote(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}
