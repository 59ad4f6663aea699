import {spawn} from 'node:child_process';
import {TokscopeError} from '../core/errors.js';
import {formatBytes} from './http.js';
import {formatSeconds} from './deadline.js';

export interface BoundedRun {
	/** stdout then stderr, as printed; at most `maxBytes` of them together. */
	stdout: string;
	stderr: string;
	code: number | null;
}

export interface BoundedRunOptions {
	env: NodeJS.ProcessEnv;
	/** stdout and stderr together; past it the program is stopped. */
	maxBytes: number;
	timeoutMs: number;
	/** Why the program is allowed this long, said after the time ("its timeout_millis"). */
	timeoutWhy?: string;
	/** The call that ran it gave up (its deadline passed): the program is stopped with it. */
	signal?: AbortSignal;
	/** How sentences name the program: "The executable /usr/bin/x (credential_source.executable)". */
	what: string;
}

/**
 * Runs a program someone else chose (a credential file's executable) within an output limit and a deadline. It runs in
 * a process group of its own, so stopping it stops whatever it started too (a wrapper script's `sleep`, a helper
 * daemon), and it is stopped when tokscope exits, whichever way the run ended. Each failure is one sentence naming it.
 */
export function runBounded(command: string, args: string[], options: BoundedRunOptions): Promise<BoundedRun> {
	const {what, maxBytes, timeoutMs} = options;
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		let size = 0;
		let settled = false;
		const stopGroup = () => {
			try {
				// The negative pid is the group: the program and everything it started.
				if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
			} catch {
				// Already gone.
			}
		};
		const settle = (error?: TokscopeError) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			options.signal?.removeEventListener('abort', onAbort);
			if (error) {
				stopGroup();
				child.stdout.destroy();
				child.stderr.destroy();
				reject(error);
			}
			process.removeListener('exit', stopGroup);
		};
		const onAbort = () => settle(new TokscopeError('timeout', `${what} was stopped: the call that needed it gave up.`));
		const timer = setTimeout(() => {
			const why = options.timeoutWhy ? ` (${options.timeoutWhy})` : '';
			settle(new TokscopeError('timeout', `${what} did not finish within ${formatSeconds(timeoutMs)}${why}, so it was stopped.`));
		}, timeoutMs);
		timer.unref();
		process.on('exit', stopGroup);
		options.signal?.addEventListener('abort', onAbort, {once: true});
		const collect = (into: Buffer[]) => (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				settle(
					new TokscopeError(
						'tool-failed',
						`${what} printed more than ${formatBytes(maxBytes)}, far more than any token, so it was stopped.`,
					),
				);
				return;
			}
			into.push(chunk);
		};
		child.stdout.on('data', collect(out));
		child.stderr.on('data', collect(err));
		child.on('error', (error: NodeJS.ErrnoException) => {
			const why =
				error.code === 'ENOENT' ? 'it does not exist' : error.code === 'EACCES' ? 'it may not be run (permission denied)' : error.code;
			settle(new TokscopeError('tool-missing', `${what} could not be started: ${why ?? error.message}.`));
		});
		child.on('close', code => {
			if (settled) return;
			settle();
			resolve({stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code});
		});
	});
}
