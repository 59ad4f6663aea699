import {execFile} from 'node:child_process';
import {cp, mkdir, mkdtemp, readFile, readdir, realpath, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {delimiter, dirname, join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type CredentialFiles, type Emulator} from '../../src/emulator/index.js';
import {drift, measureInstall} from '../../scripts/readme-facts.mjs';
import {expectAccessToken, expectInspectedIdToken, expectVersion, runProgram, type Result} from './installed-cli.js';
import {missingFromCache, npmCache, startLocalRegistry, type LocalRegistry} from './local-registry.js';

// The package as a user gets it: `npm pack` of a copy of the project (its prepack builds the bundle there, so a
// concurrent `npm run build` of dist/ is neither disturbed nor used), `npm install -g` of the tarball into an empty
// prefix whose path has a space, and the installed `tokscope` run with this Node on PATH. Dependencies come from a
// registry on 127.0.0.1 serving the npm cache (./local-registry.ts): nothing leaves this machine.

const run = promisify(execFile);
const nodeDir = dirname(process.execPath);
let dir: string;
let skip: string | undefined;
let registry: LocalRegistry | undefined;
let emulator: Emulator;
let files: CredentialFiles;
let packed: {filename: string; size: number; unpackedSize: number; files: {path: string}[]};
let prefix: string;
let npmEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tokscope-npm-package-'));
	// npm with this Node, a home of its own (no user .npmrc), a private cache, and none of the npm_* settings of an
	// enclosing `npm test`.
	npmEnv = {PATH: [nodeDir, process.env.PATH].join(delimiter), HOME: join(dir, 'home')};
	try {
		await run('npm', ['--version'], {env: npmEnv});
	} catch {
		skip = 'npm is not on PATH';
		return;
	}
	const cache = await npmCache({PATH: npmEnv.PATH, HOME: process.env.HOME});
	const missing = await missingFromCache(cache);
	if (missing.length > 0) {
		const named = `${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`;
		skip = `the npm cache ${cache} lacks ${named} (run npm ci once with network)`;
		return;
	}
	registry = await startLocalRegistry(cache);
	emulator = await startEmulator();
	files = await emulator.writeCredentialFiles(join(dir, 'creds'));

	const project = join(dir, 'project');
	await mkdir(project);
	for (const entry of ['package.json', 'package-lock.json', 'README.md', 'tsconfig.json', 'src', 'scripts']) {
		await cp(resolve(entry), join(project, entry), {recursive: true});
	}
	await symlink(await realpath('node_modules'), join(project, 'node_modules'));
	const {stdout} = await run('npm', ['pack', '--json', '--pack-destination', dir], {cwd: project, env: npmEnv, timeout: 120_000});
	packed = (JSON.parse(stdout) as (typeof packed)[])[0]!;

	prefix = join(dir, 'a prefix');
	const npmrc = join(dir, 'empty-npmrc');
	await writeFile(npmrc, '');
	await run(
		'npm',
		[
			'install',
			'--global',
			'--prefix',
			prefix,
			'--registry',
			registry.url,
			'--cache',
			join(dir, 'npm-cache'),
			'--userconfig',
			npmrc,
			'--no-audit',
			'--no-fund',
			'--no-update-notifier',
			join(dir, packed.filename),
		],
		{env: npmEnv, timeout: 120_000},
	);
}, 240_000);

afterAll(async () => {
	await registry?.close();
	await emulator?.close();
	await rm(dir, {recursive: true, force: true});
});

/** The installed command, found on PATH as a user's shell would, with Node ≥ 22 (this one) on PATH. */
function tokscope(args: string[]): Promise<Result> {
	return runProgram('tokscope', args, {
		PATH: [join(prefix, 'bin'), nodeDir, '/usr/bin', '/bin'].join(delimiter),
		HOME: join(dir, 'home'),
		GCE_METADATA_HOST: emulator.host,
	});
}

describe('the npm package, packed and installed with npm install -g', () => {
	it('ships the bundle and nothing else, and depends only on what the bundle loads from node_modules', async context => {
		if (skip) return context.skip(skip);
		const paths = packed.files.map(file => file.path);
		expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/cli.js', 'dist/package.json']));
		expect(paths.filter(path => !/^(package\.json|README\.md|dist\/[\w-]+\.js|dist\/package\.json)$/.test(path))).toEqual([]);
		const manifest = JSON.parse(await readFile(join(prefix, 'lib/node_modules/tokscope/package.json'), 'utf8')) as {dependencies: object};
		// Every package the bundle imports rather than carries (react-devtools-core: Ink loads it only when DEV is set and it resolves).
		const chunks = await readdir(join(prefix, 'lib/node_modules/tokscope/dist'));
		const imported = new Set<string>();
		for (const chunk of chunks.filter(name => name.endsWith('.js'))) {
			const text = await readFile(join(prefix, 'lib/node_modules/tokscope/dist', chunk), 'utf8');
			for (const [, name] of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)["']((?:@[\w.-]+\/)?[a-z][\w.-]*(?::[\w/]+)?)[^"']*["']/g))
				imported.add(name!);
		}
		imported.delete('react-devtools-core');
		expect(Object.keys(manifest.dependencies).sort()).toEqual([...imported].filter(name => !name.startsWith('node:')).sort());
		// Small: the bundle is what matters (the README states the figures).
		expect(packed.size).toBeLessThan(1_000_000);
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

	it('is as big, and brings as many packages, as the README says (scripts/readme-facts.mjs measures it)', async context => {
		if (skip) return context.skip(skip);
		const facts = await measureInstall({
			tarballBytes: packed.size,
			unpackedBytes: packed.unpackedSize,
			installedDir: join(prefix, 'lib/node_modules/tokscope'),
		});
		expect(drift(facts, await readFile(resolve('README.md'), 'utf8'))).toEqual([]);
	});

	it('npx runs the tarball as the README writes it, where npm is configured not to prompt', async context => {
		if (skip) return context.skip(skip);
		const readme = await readFile(resolve('README.md'), 'utf8');
		const line = /^npx .*tokscope-\d+\.\d+\.\d+\.tgz.*?(?= {2,}#|$)/m.exec(readme)?.[0];
		expect(line).toBeDefined();
		const words = line!.split(/\s+/).slice(1);
		const tarball = words.findIndex(word => word.endsWith('.tgz'));
		words[tarball] = join(dir, packed.filename);
		// This machine's registry and an empty npm configuration, before the README's own words.
		const local = ['--registry', registry!.url, '--cache', join(dir, 'npm-cache'), '--userconfig', join(dir, 'empty-npmrc')];
		// npm_config_yes=false: as `npm config set yes false` (or a CI setting) leaves it, npx would not fetch without --yes.
		const npx = await runProgram(
			'npx',
			[...local, ...words],
			{...npmEnv, npm_config_yes: 'false', GCE_METADATA_HOST: emulator.host},
			120_000,
		);
		expect(npx).toMatchObject({code: 0});
		expect(npx.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
	}, 120_000);
});
