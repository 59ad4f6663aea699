import {execFile} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {basename, join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';

// A quick token grab must not pay for the TUI: these tests build the bundle exactly as `npm run build` does (into a
// private directory, so a concurrent build of dist/ cannot disturb them), run its one-shot commands with a hook that
// records every file Node loads, and look each loaded chunk up in esbuild's metafile.

const run = promisify(execFile);
const tuiPackages = /node_modules\/(ink|react|react-reconciler|yoga-layout)\//;
const authPackages = /node_modules\/(google-auth-library|gaxios|gcp-metadata)\//;

interface Metafile {
	outputs: Record<string, {inputs: Record<string, unknown>}>;
}

let dir: string;
let meta: Metafile;
let emulator: Emulator;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tokscope-build-'));
	await run(process.execPath, [resolve('scripts/build.mjs'), '--outdir', join(dir, 'dist'), '--metafile'], {timeout: 60_000});
	meta = JSON.parse(await readFile(join(dir, 'dist/meta.json'), 'utf8')) as Metafile;
	// Records the bundle files Node loads, written on exit (the CLI ends with process.exit, which still fires 'exit').
	await writeFile(
		join(dir, 'record-loads.mjs'),
		[
			"import {registerHooks} from 'node:module';",
			"import {writeFileSync} from 'node:fs';",
			'const loaded = [];',
			'registerHooks({load(url, context, next) { loaded.push(url); return next(url, context); }});',
			"process.on('exit', () => writeFileSync(process.env.TOKSCOPE_LOADS, loaded.join('\\n')));",
		].join('\n'),
	);
	emulator = await startEmulator();
}, 90_000);

afterAll(async () => {
	await emulator?.close();
	await rm(dir, {recursive: true, force: true});
});

/** Which packages went into a bundle file, by the metafile. */
function packagesIn(file: string): string[] {
	const output = Object.entries(meta.outputs).find(([path]) => basename(path) === file)?.[1];
	if (!output) throw new Error(`${file} is not in the metafile`);
	return Object.keys(output.inputs);
}

/** Runs the private bundle's CLI; returns what it printed and every bundle file it loaded. */
async function runBundle(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{stdout: string; loaded: string[]}> {
	const loads = join(dir, `loads-${args[0]}.txt`);
	const {stdout} = await run(process.execPath, ['--import', join(dir, 'record-loads.mjs'), join(dir, 'dist/cli.js'), ...args], {
		env: {PATH: process.env.PATH, HOME: dir, TOKSCOPE_LOADS: loads, ...env},
		timeout: 30_000,
	}).catch((error: {code?: number; stdout: string}) => {
		// The TUI without a terminal exits 2 after loading its chunks; that run is still a record of what it loaded.
		if (error.code === 2) return error;
		throw error;
	});
	const loaded = (await readFile(loads, 'utf8'))
		.split('\n')
		.filter(url => url.startsWith('file:') && url.includes('/dist/'))
		.map(url => basename(new URL(url).pathname));
	return {stdout, loaded};
}

const tuiInputs = (files: string[]) => files.flatMap(file => packagesIn(file).filter(input => tuiPackages.test(input)));
const authLibraryInputs = (files: string[]) => files.flatMap(file => packagesIn(file).filter(input => authPackages.test(input)));

describe('the bundle users run', () => {
	it('puts Ink and React in the TUI’s chunks only (so the check below can see them)', () => {
		const withTui = Object.keys(meta.outputs).filter(path => path.endsWith('.js') && tuiInputs([basename(path)]).length > 0);
		expect(withTui.length).toBeGreaterThan(0);
		expect(tuiInputs(['cli.js'])).toEqual([]);
	});

	it('sees Ink and React when the TUI loads them', async () => {
		const {loaded} = await runBundle(['--source', 'metadata']);
		expect(tuiInputs(loaded)).toEqual(expect.arrayContaining([expect.stringContaining('node_modules/ink/')]));
	}, 30_000);

	it('prints an access token from the metadata server without loading Ink or React', async () => {
		const {stdout, loaded} = await runBundle(['print-access-token', '--source', 'metadata'], {GCE_METADATA_HOST: emulator.host});
		expect(stdout).toMatch(/^ya29\.\S+\n$/);
		expect(loaded).toContain('cli.js');
		expect(tuiInputs(loaded)).toEqual([]);
		// A metadata token is one GET: loading google-auth-library and fetch for it would cost more than the request.
		expect(authLibraryInputs(loaded)).toEqual([]);
	}, 30_000);

	it('still loads google-auth-library where it does the work: a service-account key', async () => {
		const files = await emulator.writeCredentialFiles(join(dir, 'credentials'));
		const {stdout, loaded} = await runBundle(['print-access-token', '--key-file', files.serviceAccountKey]);
		expect(stdout).toMatch(/^ya29\.\S+\n$/);
		expect(authLibraryInputs(loaded)).toEqual(expect.arrayContaining([expect.stringContaining('node_modules/google-auth-library/')]));
	}, 30_000);

	it('prints an ID token without loading Ink or React', async () => {
		const {stdout, loaded} = await runBundle(['print-identity-token', '--source', 'metadata', '--audiences', 'https://svc.run.app'], {
			GCE_METADATA_HOST: emulator.host,
		});
		expect(stdout.split('.')).toHaveLength(3);
		expect(tuiInputs(loaded)).toEqual([]);
	}, 30_000);

	it('inspects a token without loading Ink or React', async () => {
		// A throwaway unsigned token made here: inspect only needs something shaped like a JWT.
		const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const claims = {iss: 'https://issuer.example', aud: 'x', exp: 2_000_000_000, iat: 1_700_000_000};
		const token = `${part({alg: 'RS256', typ: 'JWT'})}.${part(claims)}.${Buffer.from('sig').toString('base64url')}`;
		const {stdout, loaded} = await runBundle(['inspect', token, '--json', '--no-verify']);
		expect(JSON.parse(stdout)).toMatchObject({claims: {iss: 'https://issuer.example'}});
		expect(tuiInputs(loaded)).toEqual([]);
	}, 30_000);
});
