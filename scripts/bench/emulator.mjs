// The bench's server: `tokscope emulator` from the built CLI, so the bench runs on plain Node with no TypeScript.
import {spawn} from 'node:child_process';

/** Starts the emulator with long-lived tokens and returns the environment it printed (`export NAME='value'` lines). */
export function startEmulator(node, cli) {
	return new Promise((resolve, reject) => {
		const child = spawn(node, [cli, 'emulator', '--lifetime', '3600'], {stdio: ['ignore', 'pipe', 'inherit']});
		const timer = setTimeout(() => {
			child.kill();
			reject(new Error('the emulator did not start within 10 s'));
		}, 10_000);
		let printed = '';
		child.stdout.on('data', chunk => {
			printed += chunk;
			if (!printed.includes('Ctrl-C')) return;
			clearTimeout(timer);
			// Each value single-quoted, a quote inside written '\'' (src/core/shell-quote.ts).
			const exports = [...printed.matchAll(/^export (\w+)='((?:[^']|'\\'')*)'$/gm)];
			const env = Object.fromEntries(exports.map(([, name, value]) => [name, value.replaceAll("'\\''", "'")]));
			// The banner lists the stand-in services ("Cloud Run       http://127.0.0.1:PORT …") for doctor's section.
			const services = Object.fromEntries(
				[...printed.matchAll(/^ {2}(Cloud Run|IAP)\s+(http:\/\/\S+)/gm)].map(([, name, url]) => [name, url]),
			);
			resolve({env, services, stop: () => child.kill('SIGTERM')});
		});
		child.on('exit', code => {
			clearTimeout(timer);
			reject(new Error(`the emulator exited early (status ${code})`));
		});
	});
}

/**
 * One metadata-server round trip for an ID token, on a fresh connection as the TUI's refresh makes it: the part of
 * `r` → new claims that the server, not tokscope, spends. Median of `samples`.
 */
export async function identityRoundTripMs(env, audience, samples = 15) {
	const {get} = await import('node:http');
	const identity = `http://${env.GCE_METADATA_HOST}/computeMetadata/v1/instance/service-accounts/default/identity`;
	const url = `${identity}?audience=${encodeURIComponent(audience)}`;
	const once = () =>
		new Promise((resolve, reject) => {
			const started = performance.now();
			const request = get(url, {headers: {'Metadata-Flavor': 'Google'}, agent: false, timeout: 5000}, response => {
				response.resume();
				response.on('end', () => resolve(performance.now() - started));
			});
			request.on('timeout', () => request.destroy(new Error('the emulator did not answer within 5 s')));
			request.on('error', reject);
		});
	const times = [];
	for (let index = 0; index < samples; index++) times.push(await once());
	return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}
