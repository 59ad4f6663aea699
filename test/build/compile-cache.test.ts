import {execFile} from 'node:child_process';
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

// The bundle keeps V8's compiled code in the user's cache directory (src/cli.ts; README "Speed"): there and nowhere
// else, and a home it cannot write to must cost nothing but the cache.

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tokscope-compile-cache-'));
	await run(process.execPath, [resolve('scripts/build.mjs'), '--outdir', join(dir, 'dist')], {timeout: 60_000});
}, 90_000);

afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

// A throwaway unsigned token: inspect loads a chunk of its own, which the cache then holds.
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = {iss: 'https://issuer.example', exp: 2_000_000_000};
const token = `${part({alg: 'RS256'})}.${part(claims)}.${Buffer.from('sig').toString('base64url')}`;

async function inspect(env: NodeJS.ProcessEnv): Promise<{stdout: string; stderr: string}> {
	const args = [join(dir, 'dist/cli.js'), 'inspect', token, '--json', '--no-verify'];
	return run(process.execPath, args, {env: {PATH: process.env.PATH, ...env}, timeout: 30_000});
}

describe.skipIf(process.platform === 'win32' || process.platform === 'darwin')('the compile cache', () => {
	it('lives under XDG_CACHE_HOME/tokscope', async () => {
		const cache = join(dir, 'xdg');
		const {stdout} = await inspect({HOME: join(dir, 'home'), XDG_CACHE_HOME: cache});
		expect(JSON.parse(stdout)).toMatchObject({claims: {iss: 'https://issuer.example'}});
		const [versioned] = await readdir(join(cache, 'tokscope'));
		expect(await readdir(join(cache, 'tokscope', versioned!))).not.toEqual([]);
	});

	it('lives under ~/.cache/tokscope without XDG_CACHE_HOME', async () => {
		const home = join(dir, 'home');
		await inspect({HOME: home});
		expect(await readdir(join(home, '.cache', 'tokscope'))).toHaveLength(1);
	});

	it('is quietly off when the home cannot be written, or there is none', async () => {
		for (const env of [{HOME: '/dev/null'}, {}]) {
			const {stdout, stderr} = await inspect(env);
			expect(JSON.parse(stdout)).toMatchObject({claims: {iss: 'https://issuer.example'}});
			expect(stderr).toBe('');
		}
	});
});
