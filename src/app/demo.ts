import {rmSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {InputValues} from '../ui/screens/Inputs.js';

export interface Demo {
	/** The environment every source is given: the variables the tools already honour, pointed at the emulator. */
	env: NodeJS.ProcessEnv;
	banner: string;
	defaults: InputValues;
	stop(): Promise<void>;
	/** Removes the credential files at once, synchronously: what a signal handler can still be sure to finish. */
	removeFiles(): void;
}

/** Starts the built-in emulator with credential files for it; process.env is left as it was. */
export async function startDemo(env: NodeJS.ProcessEnv = process.env): Promise<Demo> {
	const {startEmulator} = await import('../emulator/index.js');
	const {emulatorEnvironment} = await import('../emulator/environment.js');
	const lifetime = Number(env.TOKSCOPE_DEMO_LIFETIME) || 60;
	const emulator = await startEmulator({tokenLifetimeSeconds: lifetime});
	const dir = await mkdtemp(join(tmpdir(), 'tokscope-demo-'));
	const files = await emulator.writeCredentialFiles(dir);
	return {
		env: {...env, ...emulatorEnvironment(emulator, files), CLOUDSDK_CONFIG: join(dir, 'gcloud')},
		banner: `DEMO: tokens come from the built-in emulator at ${emulator.url}, each living ${lifetime} s, so you will see refreshes.`,
		defaults: {
			audience: 'https://hello-demo-abc123-uc.a.run.app',
			keyFile: files.serviceAccountKey,
			impersonate: [`tokscope-target@${emulator.projectId}.iam.gserviceaccount.com`],
		},
		stop: async () => {
			await emulator.close();
			await rm(dir, {recursive: true, force: true});
		},
		removeFiles: () => rmSync(dir, {recursive: true, force: true}),
	};
}
