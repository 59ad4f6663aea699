import {closeSync, openSync, writeSync} from 'node:fs';
import {TokscopeError} from '../core/errors.js';

/**
 * Writes escape sequences to the controlling terminal, so a copy reaches the user even when stdout is a pipe
 * (`tokscope print-access-token --copy | …`). Without a controlling terminal, stdout will do only if it is a terminal:
 * in cron or CI it is a log or a pipe, and OSC 52 there would put the token, in base64, into it while saying "Copied".
 */
export function writeToTerminal(bytes: string, stdout: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stdout): void {
	let fd: number;
	try {
		fd = openSync('/dev/tty', 'w');
	} catch {
		if (!stdout.isTTY) {
			throw new TokscopeError(
				'clipboard',
				'There is no terminal to copy through (OSC 52 needs one) and no system clipboard here, so nothing was copied.',
				{
					hint: 'Leave out --copy to print the token, or run where a terminal or a clipboard is.',
				},
			);
		}
		stdout.write(bytes);
		return;
	}
	try {
		// A terminal may take a long sequence in more than one write; a cut OSC 52 would copy nothing.
		const buffer = Buffer.from(bytes, 'utf8');
		for (let offset = 0; offset < buffer.length;) offset += writeSync(fd, buffer, offset);
	} finally {
		closeSync(fd);
	}
}
