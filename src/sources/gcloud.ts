import {execFile} from 'node:child_process';
import {TokscopeError} from '../core/errors.js';
import {redactSecrets} from '../core/redact.js';
import {terminalSafe} from '../core/terminal-safe.js';
import type {RawToken} from '../core/types.js';
import {jwtExpiry} from './fetch-token.js';
import type {SourceBody, SourceOptions} from './types.js';

// gcloud's Python start-up alone takes a second or two, and a refresh inside it another network call.
const gcloudTimeoutMs = 20_000;

/** Runs the real gcloud (the only place tokscope does), with a deadline and sentences for its usual failures. */
function gcloud(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile('gcloud', args, {env, timeout: timeoutMs, maxBuffer: 1024 * 1024}, (error, stdout, stderr) => {
			if (!error) return resolve(stdout.trim());
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT') return reject(new TokscopeError('The gcloud CLI is not installed (no gcloud on PATH).', {hint: 'Install the Google Cloud SDK, or pick another source.'}));
			if ((error as {killed?: boolean}).killed) return reject(new TokscopeError(`gcloud did not finish within ${Math.round(timeoutMs / 100) / 10} s.`));
			if (/do not currently have an active account|no credentialed accounts/i.test(stderr)) {
				return reject(new TokscopeError('gcloud has no active account.', {hint: 'Run `gcloud auth login` (or `gcloud auth activate-service-account --key-file=KEY`).'}));
			}
			const line = terminalSafe(redactSecrets(stderr)).replace(/^ERROR:\s*/, '').split(/(?<=\.)\s/)[0]?.trim();
			reject(new TokscopeError(`gcloud failed: ${line || `exit status ${String(error.code)}`}`));
		});
	});
}

/** The gcloud source: the gcloud CLI's active account, by running gcloud itself. */
export function gcloudSource(options: SourceOptions): SourceBody {
	const env = options.env ?? process.env;
	const timeoutMs = options.timeoutMs ?? gcloudTimeoutMs;
	return {
		async describe() {
			const account = await gcloud(['config', 'get-value', 'account'], env, timeoutMs).catch(() => '');
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
			const token = await gcloud(['auth', 'print-access-token'], env, timeoutMs);
			return {token, type: 'access', fetchedAt: new Date(), latencyMs: Math.round(performance.now() - started), notes: ['gcloud does not say when its access tokens expire (usually one hour after issue).']};
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
			const token = await gcloud(['auth', 'print-identity-token', ...flags], env, timeoutMs);
			const expiresAt = await jwtExpiry(token);
			if (!expiresAt) throw new TokscopeError('gcloud printed something that is not an ID token.');
			return {token, type: 'id', audience: request.audience, expiresAt, fetchedAt: new Date(), latencyMs: Math.round(performance.now() - started)};
		},
	};
}
