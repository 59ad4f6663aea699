import {TokscopeError} from '../core/errors.js';
import {maxTokenBytes} from '../core/decode.js';
import {readStdin} from '../io/stdin.js';

const maxPasteBytes = maxTokenBytes * 4;

/** Reads a token piped on stdin (bounded), or, on a terminal, one pasted there: nobody has to put a token on the command line. */
export async function readTokenFromStdin(stdin: NodeJS.ReadStream, stderr: NodeJS.WritableStream): Promise<string> {
	// A token has no line breaks: one copied from a wrapped display arrives in pieces, joined here.
	if (stdin.isTTY)
		return (await readPasted(stdin, stderr, 'the token'))
			.split('\n')
			.map(line => line.trim())
			.join('');
	return readStdin(stdin, maxPasteBytes);
}

const ctrlC = '\u0003';
const ctrlD = '\u0004';

/**
 * Reads what is pasted on a terminal until Ctrl-D, in raw mode: nothing is echoed (a token or secret left on screen
 * stays in the scrollback), a line break does not end it (wrapped tokens), and the terminal's 4 KiB line limit does not
 * cut it. Backspace deletes; Ctrl-C cancels with the usual status 130. The prompt and a running count go to stderr.
 */
export async function readPasted(stdin: NodeJS.ReadStream, stderr: NodeJS.WritableStream, what: string): Promise<string> {
	const prompt = `Paste ${what}, then press Ctrl-D (it is not shown; Ctrl-C cancels): `;
	stderr.write(prompt);
	stdin.setRawMode?.(true);
	stdin.resume();
	let text = '';
	try {
		return await new Promise<string>((resolve, reject) => {
			const done = (outcome: () => void) => {
				stdin.off('data', onData);
				stdin.off('end', onEnd);
				outcome();
			};
			const onEnd = () => done(() => resolve(text));
			const onData = (chunk: Buffer | string) => {
				for (const char of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
					if (char === ctrlD) return done(() => resolve(text));
					if (char === ctrlC) return done(() => reject(new Cancelled()));
					if (char === '\u007f' || char === '\b') text = text.slice(0, -1);
					else text += char === '\r' ? '\n' : char;
				}
				if (Buffer.byteLength(text) > maxPasteBytes) {
					const sentence = `What was pasted holds more than ${maxPasteBytes / 1024} KiB, far more than ${what}; reading stopped there.`;
					return done(() => reject(new TokscopeError('too-big', sentence)));
				}
				stderr.write(`\r\u001b[K${prompt}${text.trim().length} characters`);
			};
			stdin.on('data', onData);
			stdin.on('end', onEnd);
		});
	} catch (error) {
		if (error instanceof Cancelled) {
			restore(stdin, stderr);
			// The conventional status for Ctrl-C: the default SIGINT action, now that the terminal is back as it was.
			process.kill(process.pid, 'SIGINT');
		}
		throw error;
	} finally {
		restore(stdin, stderr);
	}
}

class Cancelled extends TokscopeError {
	constructor() {
		super('cancelled', 'Cancelled.');
	}
}

function restore(stdin: NodeJS.ReadStream, stderr: NodeJS.WritableStream): void {
	if (stdin.isRaw) {
		stdin.setRawMode?.(false);
		stderr.write('\n');
	}
	stdin.pause();
}
