// Builds tokscope as one file that runs without Node installed: a Node single executable application (SEA) made from
// the project's own Node (the `node` dev dependency), for the platform that Node binary is for.
//
// npm run build:exe [-- --outdir DIR]   writes DIR/tokscope-linux-x64 (or -arm64); DIR is dist/ unless given
// npm run build:exe -- --blob-only      writes DIR/tokscope.blob only, on any platform: what the README's macOS and
//                                       Windows steps inject by hand
//
// Node 24 only runs a CommonJS main script from the executable (no ESM main, no --build-sea: those came in Node 25),
// and that script's require() loads only Node's own modules. So everything, dependencies included, is bundled into one
// file here; the normal bundle (scripts/build.mjs: ESM, lazy chunks, clipboardy left in node_modules) is not touched.
import {execFile} from 'node:child_process';
import {chmod, copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile} from 'node:fs/promises';
import {builtinsThroughRequirePlugin} from './patches/builtins-through-require.mjs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs, promisify} from 'node:util';
import {build} from 'esbuild';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const {values: flags} = parseArgs({
	options: {outdir: {type: 'string', default: join(root, 'dist')}, 'blob-only': {type: 'boolean', default: false}},
});
const outdir = resolve(flags.outdir);

/** One sentence on stderr and exit 1: a build that cannot be made here says why and does nothing. */
function refuse(sentence) {
	process.stderr.write(`build-exe: ${sentence}\n`);
	process.exit(1);
}

// What the project's Node is for decides what can be built: postject's Linux path (an ELF note) is the one this script
// knows to be right without a signing step; macOS and Windows need codesign/signtool steps done by hand (README).
if (!flags['blob-only'] && (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch))) {
	refuse(
		`this script builds the single executable on Linux (x64 or arm64) only, not on ${process.platform}-${process.arch}: ` +
			'see "A single executable" in the README for the macOS and Windows steps.',
	);
}
// The executable is a copy of the Node running this script, which must be the project's own (npm run puts it first on PATH).
const projectNode = await readFile(join(root, 'node_modules/node/package.json'), 'utf8').then(
	text => `v${JSON.parse(text).version}`,
	() => undefined,
);
if (process.version !== projectNode) {
	refuse(
		`run it as npm run build:exe, so that the project’s own Node ${projectNode ?? '(npm ci installs it)'} ` +
			`builds it, not Node ${process.version}.`,
	);
}
const nodeBinary = process.execPath;
const nodeVersion = process.version;
const postject = join(root, 'node_modules/postject/dist/cli.js');
if (!flags['blob-only'] && !(await stat(postject).catch(() => undefined)))
	refuse('postject is missing from node_modules: run npm ci first.');

const name = `tokscope-${process.platform}-${process.arch}`;
const work = await mkdtemp(join(tmpdir(), 'tokscope-exe-'));
try {
	const main = join(work, 'main.cjs');
	await writeFile(main, await bundleOneFile());
	const blob = join(work, 'sea.blob');
	const config = {
		main,
		output: blob,
		disableExperimentalSEAWarning: true,
		// V8's compiled code for the one big script, made at build time: without it every start parses all of it.
		useCodeCache: true,
		useSnapshot: false,
	};
	await writeFile(join(work, 'sea-config.json'), JSON.stringify(config));
	await run(nodeBinary, ['--experimental-sea-config', join(work, 'sea-config.json')], {cwd: work});
	if (flags['blob-only']) {
		await mkdir(outdir, {recursive: true});
		await copyFile(blob, join(outdir, 'tokscope.blob'));
		process.stdout.write(
			`${join(outdir, 'tokscope.blob')}: to inject into a copy of Node ${nodeVersion} for ${process.platform}-${process.arch}\n`,
		);
	} else {
		await inject(blob);
	}
} finally {
	await rm(work, {recursive: true, force: true});
}

/** A copy of this Node with the blob in it, as DIR/tokscope-linux-<arch>. */
async function inject(blob) {
	const executable = join(work, name);
	await copyFile(nodeBinary, executable);
	await chmod(executable, 0o755);
	// The npm `node` package ships Node with its debug symbols (18 MB of its 127); nobody debugs the executable
	// with gdb. Stripped before the blob goes in, so the note postject adds stays.
	await run('strip', ['--strip-all', executable]).catch(() =>
		process.stderr.write('build-exe: no `strip` here; the executable keeps Node’s debug symbols.\n'),
	);
	const injected = await run(nodeBinary, [
		postject,
		executable,
		'NODE_SEA_BLOB',
		blob,
		'--sentinel-fuse',
		'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
	]);
	// LIEF (inside postject) warns about every note section strip left unnamed; they are harmless, the rest is shown.
	process.stderr.write(injected.stderr.replace(/^warning: Can't find string offset for section name .*\n/gm, ''));

	await mkdir(outdir, {recursive: true});
	// Renamed into place whole, so a concurrent run never starts a half-written executable.
	await copyFile(executable, join(outdir, `.${name}.partial`));
	await rename(join(outdir, `.${name}.partial`), join(outdir, name));
	const {size} = await stat(join(outdir, name));
	process.stdout.write(`${join(outdir, name)}: ${(size / 1e6).toFixed(1)} MB (Node ${nodeVersion})\n`);
}

/**
 * The CLI and all it imports as one CommonJS script. esbuild bundles it as ESM without code splitting (its lazy
 * `import()`s then become functions that run the module on first use, so a one-shot command still never runs Ink)
 * and with Node's modules turned into require() calls, so the output has no import statement left: only its top-level
 * await (the CLI's last lines) keeps it from being CommonJS, and an async function around it makes it so.
 */
async function bundleOneFile() {
	const builtinsThroughRequire = builtinsThroughRequirePlugin({lazy: false});
	// Ink loads react-devtools-core only when DEV is set and it resolves (import.meta.resolve, absent here, so it never
	// does); should that change, the executable says so instead of failing on a missing module.
	const withoutDevtools = {
		name: 'without-devtools',
		setup(build) {
			build.onResolve({filter: /^react-devtools-core$/}, args => ({path: args.path, namespace: 'absent'}));
			build.onLoad({filter: /.*/, namespace: 'absent'}, () => ({
				contents: "throw new Error('React devtools are not in the single executable');",
				loader: 'js',
			}));
		},
	};
	const result = await build({
		absWorkingDir: root,
		entryPoints: ['src/cli.ts'],
		bundle: true,
		write: false,
		splitting: false,
		format: 'esm',
		platform: 'node',
		target: 'node24',
		minify: true,
		legalComments: 'none',
		metafile: true,
		plugins: [builtinsThroughRequire, withoutDevtools],
		define: {'process.env.NODE_ENV': '"production"', 'import.meta': '__tokscopeImportMeta'},
		supported: {'regexp-unicode-property-escapes': true, 'regexp-set-notation': true},
		logLevel: 'error',
	});
	const [output] = result.outputFiles;
	// require() of Node's own modules is what the executable can load (and supports-color, which debug tries in a try).
	const imports = Object.values(result.metafile.outputs).flatMap(output => output.imports.filter(({kind}) => kind !== 'require-call'));
	if (imports.length > 0)
		throw new Error(
			`build-exe: the one-file bundle still imports ${imports.map(({path}) => path).join(', ')}, which the executable cannot load`,
		);
	const text = output.text;
	return [
		'"use strict";',
		// In the executable, __filename is the executable itself: what import.meta.url would name for dependencies that
		// find files next to their own (clipboardy's fallback binaries, which the executable does not carry).
		'const __tokscopeImportMeta = {',
		"url: require('node:url').pathToFileURL(__filename).href, dirname: require('node:path').dirname(__filename), filename: __filename",
		'};',
		'(async () => {',
		text,
		'})();',
	].join('\n');
}
