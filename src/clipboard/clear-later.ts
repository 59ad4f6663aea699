import {spawn} from 'node:child_process';
import {readStdin} from '../io/stdin.js';
import {scheduleClipboardClear} from './clear.js';

/**
 * A one-shot command (or a quitting TUI) must not make the user wait for --clear-clipboard: like `pass -c`, a
 * detached tokscope does the clearing later. The text goes to it through a pipe, never on its command line or in a
 * file, where other users and the disk would see it.
 */
export async function clearInBackground(text: string, seconds: number, cli = process.argv[1] ?? ''): Promise<void> {
	const child = spawn(process.execPath, [cli, 'clear-clipboard', String(Math.max(1, Math.ceil(seconds)))], {
		detached: true,
		stdio: ['pipe', 'ignore', 'ignore'],
	});
	child.on('error', () => {});
	// Written in full before our process exits, or the clearer would never learn what to clear.
	await new Promise<void>(done => child.stdin.end(text, done));
	child.unref();
}

/** The hidden `clear-clipboard SECONDS` command: reads what was copied on stdin, then clears it if it is still there. */
export async function clearWhenDue(seconds: number, input: NodeJS.ReadableStream): Promise<number> {
	// What is copied is a token, a header, a curl command or claims: a few KiB, 256 KiB at most, whoever writes to us.
	const text = await readStdin(input, 256 * 1024, 'What was copied (on standard input)');
	if (!text) return 1;
	// The clear's own timer does not hold a process open; this one does, until the outcome is in.
	const keepAlive = setInterval(() => {}, 60_000);
	try {
		await scheduleClipboardClear(text, seconds, {way: 'system'}).outcome;
	} finally {
		clearInterval(keepAlive);
	}
	return 0;
}
