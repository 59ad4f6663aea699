import {mkdtemp, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type CredentialFiles, type Emulator} from '../../src/emulator/index.js';
import {buildSingleExecutable} from '../support/single-executable.js';
import {expectAccessToken, expectInspectedIdToken, expectVersion, runProgram, type Result} from './installed-cli.js';

// The single executable, built once here as `npm run build:exe` builds it (into a private directory), and run as
// `env -i` would: no PATH, no HOME, nothing but the variable that points it at the emulator. No Node is anywhere it
// could find one.

let dir: string;
let executable: string;
let skip: string | undefined;
let emulator: Emulator;
let files: CredentialFiles;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tokscope-exe-test-'));
	emulator = await startEmulator();
	files = await emulator.writeCredentialFiles(join(dir, 'creds'));
	const built = await buildSingleExecutable(dir);
	if ('skip' in built) skip = built.skip;
	else executable = built.executable;
}, 200_000);

afterAll(async () => {
	await emulator?.close();
	await rm(dir, {recursive: true, force: true});
});

function tokscope(args: string[]): Promise<Result> {
	return runProgram(executable, args, {GCE_METADATA_HOST: emulator.host});
}

describe('the single executable under env -i', () => {
	it('is one file named for its platform', async context => {
		if (skip) return context.skip(skip);
		expect(executable).toBe(join(dir, `tokscope-${process.platform}-${process.arch}`));
		expect((await stat(executable)).mode & 0o111).not.toBe(0);
	});

	it('tokscope --version', async context => {
		if (skip) return context.skip(skip);
		await expectVersion(tokscope);
	});

	it('print-access-token through a service-account key', async context => {
		if (skip) return context.skip(skip);
		await expectAccessToken(tokscope, files);
	});

	it('print-identity-token from the metadata server, then inspect verifies it', async context => {
		if (skip) return context.skip(skip);
		await expectInspectedIdToken(tokscope, emulator);
	});

	it('a mistyped command still gets its suggestion, and an unknown one exits 2', async context => {
		if (skip) return context.skip(skip);
		const result = await tokscope(['print-acess-token']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('print-access-token');
	});
});
