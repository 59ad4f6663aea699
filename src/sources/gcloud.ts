import {execFile} from 'node:child_process';
import {TokscopeError} from '../core/errors.js';
import {redactSecrets} from '../core/redact.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {expectTokenShape} from '../core/token-shape.js';
import type {RawToken} from '../core/types.js';
import {jwtExpiry} from './token-claims.js';
import type {SourceBody, SourceOptions} from './types.js';

// gcloud's Python start-up alone takes a second or two, and a refresh inside it another network call.
const gcloudTimeoutMs = 20_000;

/** A token is a few KiB and gcloud's errors a few lines: more than this on either stream is not worth reading. */
const maxOutputBytes = 256 * 1024;

/** Runs the real gcloud (the only place tokscope does), with a deadline and sentences for its usual failures. */
function gcloud(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const options = {env, timeout: Math.max(1, timeoutMs), killSignal: 'SIGKILL' as const, maxBuffer: maxOutputBytes};
		execFile('gcloud', args, options, (error, stdout, stderr) => {
			if (!error) return resolve(stdout.trim());
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT')
				return reject(
					new TokscopeError('tool-missing', 'The gcloud CLI is not installed (no gcloud on PATH).', {
						hint: 'Install the Google Cloud SDK, or pick another source.',
					}),
				);
			if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
				return reject(
					new TokscopeError('tool-failed', 'gcloud printed far more than a token or an error (over 256 KiB), so it was stopped.'),
				);
			if ((error as {killed?: boolean}).killed)
				return reject(new TokscopeError('timeout', `gcloud did not finish within ${Math.round(timeoutMs / 100) / 10} s.`));
			if (/do not currently have an active account|no credentialed accounts/i.test(stderr)) {
				return reject(
					new TokscopeError('no-credential', 'gcloud has no active account.', {
						hint: 'Run `gcloud auth login` (or `gcloud auth activate-service-account --key-file=KEY`).',
					}),
				);
			}
			reject(new TokscopeError('tool-failed', `gcloud failed: ${firstWords(stderr) || `exit status ${String(error.code)}`}.`));
		});
	});
}

/** gcloud's error in a few words: its first sentence, from at most its first three lines, never longer than 300 characters. */
export function firstWords(stderr: string): string {
	const lines = stderr.split('\n', 3).join(' ').slice(0, 2000);
	const sentence =
		terminalSafe(redactSecrets(lines))
			.replace(/^ERROR:\s*/, '')
			.split(/(?<=\.)\s/)[0]
			?.trim() ?? '';
	return (sentence.length > 300 ? `${sentence.slice(0, 299)}…` : sentence).replace(/\.$/, '');
}

/**
 * gcloud runs one at a time: two started together race on gcloud's own files. On a VM whose account is the metadata
 * server's, gcloud refreshes its "on GCE?" cache every 10 minutes by truncating and rewriting it
 * (googlecloudsdk/core/credentials/gce_cache.py, _WriteDisk); a second gcloud reading it meanwhile finds it empty, decides
 * it is not on GCE, and says "You do not currently have an active account selected".
 *
 * One deadline for every run asked while another is under way or waiting (describe and the first token are asked
 * together): a hanging gcloud is one error after `timeoutMs`, not one per run, each starting its own clock.
 */
function gcloudRunner(env: NodeJS.ProcessEnv, timeoutMs: number): (args: string[]) => Promise<string> {
	let endsAt = 0;
	let pending = 0;
	let previous: Promise<unknown> = Promise.resolve();
	const late = () => new TokscopeError('timeout', `gcloud did not finish within ${timeoutMs / 1000} s.`);
	return args => {
		const now = Date.now();
		if (pending === 0 || endsAt <= now) endsAt = now + timeoutMs;
		const deadline = endsAt;
		pending++;
		const run = previous
			.then(() => {
				const left = deadline - Date.now();
				if (left <= 0) throw late();
				return gcloud(args, env, left);
			})
			.catch((error: unknown) => {
				// A run cut short by the shared deadline says the whole deadline, as the user waited it.
				if (error instanceof TokscopeError && error.code === 'timeout') throw late();
				throw error;
			})
			.finally(() => pending--);
		previous = run.catch(() => {});
		return run;
	};
}

/** The gcloud source: the gcloud CLI's active account, by running gcloud itself. */
export function gcloudSource(options: SourceOptions): SourceBody {
	const env = options.env ?? process.env;
	const run = gcloudRunner(env, options.timeoutMs ?? gcloudTimeoutMs);
	return {
		async describe() {
			const account = await run(['config', 'get-value', 'account']).catch(() => '');
			return {
				id: 'gcloud',
				principal: account || undefined,
				origin: `gcloud's active account${env.CLOUDSDK_CONFIG ? ` (CLOUDSDK_CONFIG=${env.CLOUDSDK_CONFIG})` : ''}`,
				details: ['Tokens come from running `gcloud auth print-access-token` / `print-identity-token`.'],
				warnings: [],
				idTokens: true,
			};
		},
		async accessToken(): Promise<RawToken> {
			const started = performance.now();
			const token = expectTokenShape(await run(['auth', 'print-access-token']), 'access', 'The gcloud CLI');
			return {
				token,
				type: 'access',
				fetchedAt: new Date(),
				latencyMs: Math.round(performance.now() - started),
				notes: ['gcloud does not say when its access tokens expire (usually one hour after issue).'],
			};
		},
		async idToken(request): Promise<RawToken> {
			const started = performance.now();
			// The same flags gcloud takes; the metadata-only ones are passed only when asked, as gcloud rejects them elsewhere.
			const flags = [
				// No audience: gcloud picks its default itself (and refuses --audiences for a user account).
				...(request.audience ? [`--audiences=${request.audience}`] : []),
				...(request.includeEmail ? ['--include-email'] : []),
				...(request.format === 'full' ? ['--token-format=full'] : []),
				...(request.includeLicenses ? ['--include-license'] : []),
			];
			const token = expectTokenShape(await run(['auth', 'print-identity-token', ...flags]), 'id', 'The gcloud CLI');
			const expiresAt = await jwtExpiry(token);
			if (!expiresAt) throw new TokscopeError('bad-answer', 'gcloud printed something that is not an ID token.');
			return {
				token,
				type: 'id',
				audience: request.audience,
				expiresAt,
				fetchedAt: new Date(),
				latencyMs: Math.round(performance.now() - started),
			};
		},
	};
}
