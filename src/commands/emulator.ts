import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {alignColumns} from '../core/columns.js';
import {TokscopeError} from '../core/errors.js';
import {exportLine} from '../core/shell-quote.js';
import {hasHiddenCharacters, terminalSafe} from '../core/terminal-safe.js';
import {realisticFault, serviceGuide, startEmulator, type Fault} from '../emulator/index.js';
import {emulatorEnvironment} from '../emulator/environment.js';
import type {Terminal} from '../io/terminal.js';

export interface EmulatorCommandOptions {
	/** As typed after --port: checked here, so a bad one is a sentence rather than Node's range error. */
	port?: string | number;
	lifetimeSeconds?: number;
	/** `PATH=STATUS` specs from `--fail`, each making requests whose path contains PATH fail. */
	fail?: string[];
}

/** `tokscope emulator`: runs the local Google in the foreground and prints how to use it from another shell. */
export async function runEmulator(options: EmulatorCommandOptions, terminal: Terminal): Promise<number> {
	const failures = (options.fail ?? []).map(parseFailSpec);
	// The credential files live under TMPDIR and the export lines name them: an escape there would reach the terminal raw
	// inside the quotes, and shown as \u… it would no longer be the path the shell needs.
	if (hasHiddenCharacters(tmpdir())) {
		throw new TokscopeError(
			'usage',
			// Shown terminal-safe once, where every error meets the user (cli.ts).
			`TMPDIR (${tmpdir()}) holds control or invisible characters, so the emulator's export lines could not be shown safely.`,
			{hint: 'Point TMPDIR at a directory with a plain name, e.g. TMPDIR=/tmp tokscope emulator'},
		);
	}
	const port = options.port === undefined ? undefined : parsePort(String(options.port));
	const emulator = await startEmulator({port, tokenLifetimeSeconds: options.lifetimeSeconds}).catch((error: unknown) => {
		throw startupFailure(error as NodeJS.ErrnoException, port);
	});
	for (const {match, fault} of failures) emulator.setFault(match, fault);
	let dir: string;
	let files: Awaited<ReturnType<typeof emulator.writeCredentialFiles>>;
	try {
		dir = await mkdtemp(join(tmpdir(), 'tokscope-emulator-'));
		files = await emulator.writeCredentialFiles(dir);
	} catch (error) {
		await emulator.close();
		const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
		throw new TokscopeError('file', `The emulator could not write its credential files under ${tmpdir()} (${code}).`, {
			hint: 'Point TMPDIR at a writable directory.',
		});
	}
	const env = emulatorEnvironment(emulator, files);
	// Listening before the banner says Ctrl-C stops it; a closed SSH session (SIGHUP) too, since the directory holds the
	// emulator's private key and a refresh token.
	const stopped = new Promise<void>(resolve => {
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
	});
	terminal.stdout.write(
		[
			`tokscope emulator: a local stand-in for Google's metadata server, OAuth, IAM Credentials and tokeninfo at ${emulator.url}`,
			`Credential files it issued are in ${dir} (removed when it stops). To use it from another shell:`,
			'',
			...Object.entries(env).map(([name, value]) => exportLine(name, value)),
			'',
			'Services behind its front door (try them with `tokscope doctor URL`):',
			...alignColumns(serviceGuide(emulator.services).map(({label, url, wants}) => [label, url, wants])).map(line => `  ${line}`),
			'',
			`Sign in as ${emulator.userEmail}: OAuth client file ${files.oauthClient} (authorization endpoint ${emulator.url}/o/oauth2/v2/auth)`,
			...failures.map(({spec}) => `Failing on purpose: ${terminalSafe(spec)}`),
			'',
			'Press Ctrl-C to stop.',
			'',
		].join('\n'),
	);
	await stopped;
	await emulator.close();
	await rm(dir, {recursive: true, force: true});
	return 0;
}

/** `--port`: a whole number from 1 to 65535 (0, "a free one", is what leaving it out means). */
export function parsePort(text: string): number {
	const port = Number(text);
	if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port < 1 || port > 65_535) {
		throw new TokscopeError('usage', `--port takes a port number from 1 to 65535, not "${terminalSafe(text.slice(0, 40))}".`, {
			hint: 'Leave it out to get a free port.',
		});
	}
	return port;
}

/** Why the emulator's servers could not listen, in one sentence instead of Node's "listen EADDRINUSE: …". */
function startupFailure(error: NodeJS.ErrnoException, port: number | undefined): TokscopeError {
	const where = port === undefined ? '127.0.0.1' : `port ${port} on 127.0.0.1`;
	if (error.code === 'EADDRINUSE')
		return new TokscopeError('listen-failed', `The emulator cannot listen on ${where}: something else is already using it.`, {
			hint: 'Pick another --port, or leave it out to get a free one.',
		});
	if (error.code === 'EACCES')
		return new TokscopeError(
			'listen-failed',
			`The emulator may not listen on ${where} (permission denied; ports below 1024 need privileges).`,
			{
				hint: 'Pick a --port above 1023.',
			},
		);
	if (error.code === 'EADDRNOTAVAIL')
		return new TokscopeError('listen-failed', 'The emulator cannot listen on 127.0.0.1: this machine has no loopback address.');
	if (error instanceof TokscopeError) return error;
	return new TokscopeError(
		'listen-failed',
		`The emulator could not start (${error.code ?? terminalSafe(String(error.message)).slice(0, 120)}).`,
	);
}

/**
 * `--fail PATH=STATUS`: requests whose path contains PATH (e.g. `/token`, `:generateIdToken`, `/identity`) are
 * answered with STATUS and the body Google's endpoint would send; `stall` never answers, `drop` cuts the connection.
 */
export function parseFailSpec(spec: string): {spec: string; match: string; fault: Fault} {
	const at = spec.lastIndexOf('=');
	const match = spec.slice(0, Math.max(0, at)).trim();
	const outcome = spec
		.slice(at + 1)
		.trim()
		.toLowerCase();
	if (at <= 0 || !match || !outcome) {
		throw new TokscopeError('usage', `--fail "${spec}" is not PATH=STATUS.`, {
			hint: 'For example: --fail /token=500, --fail :generateIdToken=403 or --fail /identity=stall',
		});
	}
	if (outcome === 'stall') return {spec, match, fault: {stall: true}};
	if (outcome === 'drop') return {spec, match, fault: {drop: true}};
	const status = Number(outcome);
	if (!Number.isInteger(status) || status < 400 || status > 599) {
		throw new TokscopeError('usage', `--fail "${spec}": "${outcome}" is not an HTTP error status (400–599), stall or drop.`);
	}
	return {spec, match, fault: realisticFault(match, status)};
}
