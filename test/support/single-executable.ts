import {execFile} from 'node:child_process';
import {resolve} from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

/**
 * Builds the single executable into `dir` as `npm run build:exe` builds it: its path, or the one sentence the build
 * refuses with where it cannot be made (another platform, no postject), for the test to skip with.
 */
export async function buildSingleExecutable(dir: string): Promise<{executable: string} | {skip: string}> {
	try {
		const {stdout} = await run(process.execPath, [resolve('scripts/build-exe.mjs'), '--outdir', dir], {timeout: 180_000});
		return {executable: stdout.split(':')[0]!};
	} catch (error) {
		const {stderr} = error as {stderr?: string};
		if (stderr?.startsWith('build-exe: ')) return {skip: stderr.trim()};
		throw error;
	}
}
