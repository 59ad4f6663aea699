import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** The built CLI run by this very Node (24), as a user would run it. */
export const cli = `${process.execPath} ${resolve('dist/cli.js')}`;

/** A private tmux server driving one real terminal of a given size. */
export class Tmux {
	readonly socket = `tokscope-test-${randomBytes(4).toString('hex')}`;

	constructor(command: string, options: {width?: number; height?: number; env?: Record<string, string>} = {}) {
		const env = Object.entries(options.env ?? {})
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

	kill(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-server']);
	}

	#tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}
}

export function shellQuote(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}
