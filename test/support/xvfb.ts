import {execFile, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

export const hasXvfb = spawnSync('Xvfb', ['-help']).error === undefined;

/** The xsel that clipboardy ships and runs on Linux: the same program reads back what tokscope copied. */
const xsel = resolve('node_modules/clipboardy/fallbacks/linux/xsel');

/** A real X display with a real CLIPBOARD selection, on a private display number, for local-copy tests. */
export class XDisplay {
	readonly display: string;
	readonly #server: ChildProcess;

	private constructor(display: string, server: ChildProcess) {
		this.display = display;
		this.#server = server;
	}

	static async start(): Promise<XDisplay> {
		const number = 200 + Math.floor(Math.random() * 5000);
		const server = spawn('Xvfb', [`:${number}`, '-nolisten', 'tcp', '-screen', '0', '640x480x8'], {stdio: 'ignore'});
		const socket = `/tmp/.X11-unix/X${number}`;
		const deadline = Date.now() + 10_000;
		while (!existsSync(socket)) {
			if (Date.now() > deadline || server.exitCode !== null) throw new Error(`Xvfb did not start on :${number}`);
			await new Promise(done => setTimeout(done, 50));
		}
		return new XDisplay(`:${number}`, server);
	}

	async clipboard(): Promise<string> {
		return (await run(xsel, ['--clipboard', '--output'], {env: this.#env(), timeout: 5000}).catch(() => ({stdout: ''}))).stdout;
	}

	/** What the user copies themselves, from another program. */
	async copy(text: string): Promise<void> {
		await new Promise<void>((done, fail) => {
			const child = spawn(xsel, ['--clipboard', '--input'], {env: this.#env(), stdio: ['pipe', 'ignore', 'ignore']});
			child.on('error', fail);
			child.on('exit', () => done());
			child.stdin.end(text);
		});
	}

	/** xsel crashes without HOME (it keeps a log there). */
	#env(): NodeJS.ProcessEnv {
		return {DISPLAY: this.display, HOME: process.env.HOME};
	}

	stop(): void {
		this.#server.kill();
	}
}
