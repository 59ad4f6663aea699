import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startEmulator} from '../emulator/index.js';
import {emulatorEnvironment} from '../emulator/environment.js';

/** `tokscope emulator`: runs the local Google in the foreground and prints how to use it from another shell. */
export async function runEmulator(options: {port?: number; lifetimeSeconds?: number}): Promise<number> {
	const emulator = await startEmulator({port: options.port, tokenLifetimeSeconds: options.lifetimeSeconds});
	const dir = await mkdtemp(join(tmpdir(), 'tokscope-emulator-'));
	const files = await emulator.writeCredentialFiles(dir);
	const env = emulatorEnvironment(emulator, files);
	process.stdout.write(
		[
			`tokscope emulator: a local stand-in for Google's metadata server, OAuth, IAM Credentials and tokeninfo at ${emulator.url}`,
			`Credential files it issued are in ${dir} (removed when it stops). To use it from another shell:`,
			'',
			...Object.entries(env).map(([name, value]) => `export ${name}=${value}`),
			'',
			'Press Ctrl-C to stop.',
			'',
		].join('\n'),
	);
	await new Promise<void>(resolve => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	await emulator.close();
	await rm(dir, {recursive: true, force: true});
	return 0;
}
