import {readFileSync, readlinkSync} from 'node:fs';
import {TokscopeError} from '../core/errors.js';

/**
 * Writes what a command exists to print (a token) on standard output and waits until it is written, so a failure is a
 * failure: a reader that went away (`| head -c0`, EPIPE) or an output that was closed. The sentence names `what`.
 */
export async function writeOut(text: string, what: string, stdout: NodeJS.WriteStream = process.stdout): Promise<void> {
	if (stdout === process.stdout && stdoutWasClosed()) {
		throw new TokscopeError('output', `${capitalise(what)} was not printed: standard output is closed (>&-).`);
	}
	await new Promise<void>((resolve, reject) => {
		// EPIPE arrives through the callback and again as an 'error' event, which would crash the process without a listener;
		// the callback is where it is handled, and the listener stays (the command is about to exit anyway).
		if (!stdout.listeners('error').includes(ignore)) stdout.on('error', ignore);
		stdout.write(text, (error?: NodeJS.ErrnoException | null) => {
			if (!error) return resolve();
			const why =
				error.code === 'EPIPE'
					? 'the program reading it exited first (broken pipe)'
					: `standard output failed (${error.code ?? error.message})`;
			reject(new TokscopeError('output', `${capitalise(what)} was not printed: ${why}.`));
		});
	});
}

function ignore(): void {}

/**
 * Node never leaves fd 1 closed: at start-up it opens /dev/null in its place, read-write, so a token "printed" there
 * vanishes with exit status 0. A shell's `>/dev/null` opens it write-only; read-write /dev/null on fd 1 is therefore
 * the mark of `>&-` (Linux only, through /proc; elsewhere the write simply succeeds, as it does for /dev/null).
 */
function stdoutWasClosed(): boolean {
	try {
		const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))?.[1];
		// O_ACCMODE is 3; O_RDWR is 2.
		return flags !== undefined && (Number.parseInt(flags, 8) & 3) === 2 && readlinkSync('/proc/self/fd/1') === '/dev/null';
	} catch {
		return false;
	}
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
