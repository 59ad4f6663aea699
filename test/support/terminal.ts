import {PassThrough, Writable} from 'node:stream';
import type {Terminal} from '../../src/io/terminal.js';

/** What a command wrote, and the terminal it wrote it to. */
export interface TestTerminal {
	terminal: Terminal;
	stdout(): string;
	stderr(): string;
	/** Feeds standard input and ends it (a pipe's whole content). */
	input(text: string): void;
}

/** A stream that keeps what is written to it, calling back as a real one does: print-* waits for that before claiming success. */
function recorder(isTTY: boolean): Writable & {text: string} {
	const stream = new Writable({
		write(chunk: Buffer | string, _encoding, callback) {
			stream.text += String(chunk);
			callback();
		},
	}) as Writable & {text: string; isTTY: boolean; columns: number};
	stream.text = '';
	stream.isTTY = isTTY;
	stream.columns = 80;
	return stream;
}

/**
 * A terminal for a command under test (the context every command takes instead of process): nothing is spied on, and
 * `exit` throws, since no command may end the test's process. Not a TTY unless asked, as a script's pipes are not.
 */
export function testTerminal(options: {env?: NodeJS.ProcessEnv; tty?: boolean} = {}): TestTerminal {
	const stdin = new PassThrough() as PassThrough & {isTTY: boolean};
	stdin.isTTY = options.tty ?? false;
	const stdout = recorder(options.tty ?? false);
	const stderr = recorder(options.tty ?? false);
	return {
		terminal: {
			stdin: stdin as unknown as NodeJS.ReadStream,
			stdout: stdout as unknown as NodeJS.WriteStream,
			stderr: stderr as unknown as NodeJS.WriteStream,
			env: options.env ?? {},
			exit: code => {
				throw new Error(`a command tried to exit the process (status ${code})`);
			},
		},
		stdout: () => stdout.text,
		stderr: () => stderr.text,
		input: text => stdin.end(text),
	};
}
