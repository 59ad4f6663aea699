import {spawn} from 'node:child_process';
import {closeSync, openSync, readSync, unlinkSync, writeSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {constants, tmpdir} from 'node:os';
import {join} from 'node:path';
import {TokscopeError} from '../core/errors.js';
import {shellQuote} from '../core/shell-quote.js';
import {terminalSafe} from '../core/terminal-safe.js';
import type {TokenType} from '../core/types.js';
import {classifyTarget, mintFor, parseTargetUrl, tokenFor} from '../doctor/target.js';
import type {Terminal} from '../io/terminal.js';
import {createSource} from '../sources/index.js';
import type {SourceOptions} from '../sources/types.js';

export interface CurlOptions {
	url: string;
	source: SourceOptions;
	curlArgs: string[];
	kind?: TokenType;
	audience?: string;
	scopes?: string[];
	/** The curl to run; tests point it elsewhere. */
	curl?: string;
}

/**
 * `tokscope curl URL [-- CURL ARGS]`: mints the token the URL needs and runs the user's curl with it. The token never
 * appears in curl's argument list (which every user can read in /proc): the header reaches curl through a file that is
 * already unlinked, open on fd 3 (`-H @/dev/fd/3`). curl writes the response headers to a second such file on fd 4
 * (`-D /dev/fd/4`), so we learn the status without touching what the user sees. Exits with curl's status.
 */
export async function curlCommand(options: CurlOptions, terminal: Terminal): Promise<number> {
	// Where the token may go and which token it is are doctor's rules (doctor/target.ts), checked before anything is minted.
	const target = classifyTarget(parseTargetUrl(options.url, 'curl'), options.audience);
	const need = tokenFor(target, {type: options.kind, audience: options.audience, scopes: options.scopes});
	const raw = await mintFor(createSource({...options.source, env: options.source.env ?? terminal.env}), need);
	const {status, httpStatus} = await runCurl(options.curl ?? 'curl', target.url.href, raw.token, options.curlArgs, terminal.env);
	if (httpStatus === 401 || httpStatus === 403) {
		const doctor = `tokscope doctor ${shellQuote(terminalSafe(target.url.href))}`;
		terminal.stderr.write(`tokscope: the server answered HTTP ${httpStatus}; to see why, run: ${doctor}\n`);
	}
	return status;
}

/** curl's own status, or 128 + the signal number when a signal ended it (as a shell reports it). */
async function runCurl(
	curl: string,
	url: string,
	token: string,
	userArgs: string[],
	env: NodeJS.ProcessEnv,
): Promise<{status: number; httpStatus?: number}> {
	// A private directory (0700) holding private files (0600), each unlinked as soon as it is open: the token is on
	// disk, unreadable to anyone else, for the microseconds between the write and the unlink, and never after.
	const dir = await mkdtemp(join(tmpdir(), 'tokscope-curl-'));
	let headerFd: number | undefined;
	let dumpFd: number | undefined;
	try {
		const headerPath = join(dir, 'authorization');
		const dumpPath = join(dir, 'response-headers');
		const writer = openSync(headerPath, 'wx', 0o600);
		writeSync(writer, `Authorization: Bearer ${token}\n`);
		closeSync(writer);
		headerFd = openSync(headerPath, 'r');
		dumpFd = openSync(dumpPath, 'wx+', 0o600);
		unlinkSync(headerPath);
		unlinkSync(dumpPath);
		// Ours first, then the URL, then the user's: a `--next` among theirs starts a request that does not get the token.
		const args = ['-H', '@/dev/fd/3', '-D', '/dev/fd/4', url, ...userArgs];
		const status = await new Promise<number>((resolve, reject) => {
			// curl writes to the process's own descriptors: a child needs real ones, and its progress meter reads whether they are terminals.
			const child = spawn(curl, args, {env, stdio: ['inherit', 'inherit', 'inherit', headerFd, dumpFd]});
			child.on('error', (error: NodeJS.ErrnoException) => {
				if (error.code === 'ENOENT') reject(new TokscopeError('tool-missing', 'curl is not installed (no curl on PATH).'));
				else reject(new TokscopeError('tool-failed', `curl could not be started (${error.code ?? error.message}).`));
			});
			child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
		});
		return {status, httpStatus: lastStatus(readAll(dumpFd))};
	} finally {
		for (const fd of [headerFd, dumpFd]) if (fd !== undefined) closeSync(fd);
		await rm(dir, {recursive: true, force: true});
	}
}

function readAll(fd: number): string {
	const chunks: Buffer[] = [];
	const buffer = Buffer.alloc(64 * 1024);
	// Headers only, and bounded: a redirect chain's headers are a few KiB.
	for (let position = 0, read = -1; read !== 0 && position < 1024 * 1024; position += read) {
		read = readSync(fd, buffer, 0, buffer.length, position);
		chunks.push(Buffer.from(buffer.subarray(0, read)));
	}
	return Buffer.concat(chunks).toString('latin1');
}

/** The status of the last response curl saw (after redirects): the last `HTTP/x nnn` line of the header dump. */
export function lastStatus(headers: string): number | undefined {
	const statuses = [...headers.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map(match => Number(match[1]));
	return statuses.at(-1);
}
