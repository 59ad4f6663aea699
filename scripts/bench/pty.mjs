// What a user sees in a real terminal: the TUI runs in a pseudo-terminal (pty-probe.py) and we time the text on it.
import {execFile, spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const probeScript = fileURLToPath(new URL('pty-probe.py', import.meta.url));

function parse(output) {
	const result = JSON.parse(String(output).trim().split('\n')[0]);
	if (result.error) throw new Error(`${result.error}; the screen ended with: ${result.screen}`);
	return result;
}

/** Runs one probe to completion: {first_ms, steps_ms, steps_screen}. */
export function probe(spec) {
	return new Promise((resolve, reject) => {
		execFile('python3', [probeScript, JSON.stringify(spec)], {encoding: 'utf8', timeout: 60_000}, (error, stdout) => {
			try {
				resolve(parse(stdout));
			} catch (parseError) {
				// The probe's own JSON error says what the screen showed; fall back to why python failed.
				reject(stdout.trim() ? parseError : error);
			}
		});
	});
}

/** Starts a probe that keeps the program open for holdMs after `first` appears; resolves with its pid and a `done` promise. */
export function hold(spec, holdMs) {
	return new Promise((resolve, reject) => {
		const child = spawn('python3', [probeScript, JSON.stringify({...spec, hold_ms: holdMs})], {stdio: ['ignore', 'pipe', 'inherit']});
		const done = new Promise(finished => child.on('exit', finished));
		child.stdout.once('data', chunk => {
			try {
				resolve({pid: parse(chunk).pid, done});
			} catch (error) {
				reject(error);
			}
		});
		child.on('error', reject);
		// Without a line on stdout the probe died before the program drew anything (a no-op once resolved).
		done.then(code => reject(new Error(`the pty probe exited (${code}) before the program drew its first screen`)));
	});
}
