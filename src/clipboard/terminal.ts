import {closeSync, openSync, writeSync} from 'node:fs';

/**
 * Writes escape sequences to the controlling terminal, so a copy reaches the user even when stdout is a pipe
 * (`tokscope print-access-token --copy | …`); without a terminal (a service, a CI job) stdout is all there is.
 */
export function writeToTerminal(bytes: string): void {
	let fd: number;
	try {
		fd = openSync('/dev/tty', 'w');
	} catch {
		process.stdout.write(bytes);
		return;
	}
	try {
		// A terminal may take a long sequence in more than one write; a cut OSC 52 would copy nothing.
		const buffer = Buffer.from(bytes, 'utf8');
		for (let offset = 0; offset < buffer.length; ) offset += writeSync(fd, buffer, offset);
	} finally {
		closeSync(fd);
	}
}
