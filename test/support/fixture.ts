import {afterAll, afterEach, beforeAll} from 'vitest';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startEmulator, type CredentialFiles, type Emulator, type EmulatorOptions} from '../../src/emulator/index.js';

export interface Fixture {
	emulator: Emulator;
	files: CredentialFiles;
	dir: string;
	/** An environment pointing every Google endpoint at the emulator, with nothing else set (process.env is left alone). */
	env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
	close(): Promise<void>;
}

export async function startFixture(options: EmulatorOptions = {}): Promise<Fixture> {
	const emulator = await startEmulator(options);
	const dir = await mkdtemp(join(tmpdir(), 'tokscope-sources-'));
	const files = await emulator.writeCredentialFiles(join(dir, 'creds'));
	return {
		emulator,
		files,
		dir,
		env: extra => ({
			PATH: process.env.PATH,
			HOME: dir,
			CLOUDSDK_CONFIG: join(dir, 'gcloud-empty'),
			GCE_METADATA_HOST: emulator.host,
			CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS: `${emulator.url}/`,
			...extra,
		}),
		close: async () => {
			await emulator.close();
			await rm(dir, {recursive: true, force: true});
		},
	};
}

/**
 * One emulator for the test file that calls it, started before its tests, its faults cleared after each and closed at
 * the end. The fixture is read through the returned object once the tests run.
 */
export function useFixture(options: EmulatorOptions = {}): Fixture {
	let started: Fixture | undefined;
	beforeAll(async () => {
		started = await startFixture(options);
	});
	afterAll(() => started?.close());
	afterEach(() => started?.emulator.clearFaults());
	return new Proxy({} as Fixture, {
		get: (_, key) => {
			if (!started) throw new Error('the fixture is read before its emulator started (use it inside a test)');
			return Reflect.get(started, key);
		},
	});
}
