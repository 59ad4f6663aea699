import {spawn} from 'node:child_process';
import {resolve} from 'node:path';
import {pathToFileURL} from 'node:url';

/** Every CLI a test starts keeps its packets on loopback too (test/support/loopback-only.mjs). */
export const loopbackOnly = `--import=${pathToFileURL(resolve('test/support/loopback-only.mjs')).href}`;

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
	ms: number;
}

/** Runs the built CLI as a user would (Node 24, dist/cli.js), with only the environment given. */
export function runCli(args: string[], options: {env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number} = {}): Promise<CliResult> {
	const started = Date.now();
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, [resolve('dist/cli.js'), ...args], {
			env: {PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: loopbackOnly, ...options.env},
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += chunk));
		child.stderr.on('data', chunk => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
		child.on('error', fail);
		child.on('close', code => {
			clearTimeout(timer);
			done({code, stdout, stderr, ms: Date.now() - started});
		});
		// The CLI may refuse a huge input and exit before reading it all.
		child.stdin.on('error', () => {});
		child.stdin.end(options.input ?? '');
	});
}
