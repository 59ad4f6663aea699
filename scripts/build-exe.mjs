// Builds tokscope as one file that runs without Node installed: a Node single executable application (SEA) made from
// the project's own Node (node_modules/.bin/node), for the platform that Node binary is for.
//
// node scripts/build-exe.mjs [--outdir DIR]   (default dist/; writes DIR/tokscope-linux-x64 or DIR/tokscope-linux-arm64)
//
// Node 24 only runs a CommonJS main script from the executable (no ESM main, no --build-sea: those came in Node 25),
// and that script's require() loads only Node's own modules. So everything, dependencies included, is bundled into one
// file here; the normal bundle (scripts/build.mjs: ESM, lazy chunks, clipboardy left in node_modules) is not touched.
import {execFile} from 'node:child_process';
import {chmod, copyFile, mkdir, mkdtemp, realpath, rename, rm, stat, writeFile} from 'node:fs/promises';
import {builtinModules} from 'node:module';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs, promisify} from 'node:util';
import {build} from 'esbuild';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const {values: flags} = parseArgs({options: {outdir: {type: 'string', default: join(root, 'dist')}}});
const outdir = resolve(flags.outdir);

/** One sentence on stderr and exit 1: a build that cannot be made here says why and does nothing. */
function refuse(sentence) {
	process.stderr.write(`build-exe: ${sentence}\n`);
	process.exit(1);
}

// What the project's Node is for decides what can be built: postject's Linux path (an ELF note) is the one this script
// knows to be right without a signing step; macOS and Windows need codesign/signtool steps done by hand (README).
if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) {
	refuse(
		`a single executable can only be built on Linux (x64 or arm64) by this script, not on ${process.platform}-${process.arch}; ` +
			'see the README, "A single executable", for the macOS and Windows steps.',
	);
}
const nodeBinary = await realpath(join(root, 'node_modules/.bin/node')).catch(() => undefined);
if (!nodeBinary) refuse('the project’s own Node (node_modules/.bin/node) is missing: run npm ci first.');
const {stdout: nodeVersion} = await run(nodeBinary, ['--version']);
const {stdout: nodeHelp} = await run(nodeBinary, ['--help'], {maxBuffer: 4 << 20});
if (!nodeHelp.includes('--experimental-sea-config')) refuse(`the project’s Node ${nodeVersion.trim()} cannot build single executables.`);
const postject = await realpath(join(root, 'node_modules/postject/dist/cli.js')).catch(() => undefined);
if (!postject) refuse('postject is missing from node_modules: run npm ci first.');

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

	const executable = join(work, name);
	await copyFile(nodeBinary, executable);
	await chmod(executable, 0o755);
	// The npm `node` package ships Node with its debug symbols (~20 MB of the file); nobody debugs the executable
	// with gdb. Stripped before the blob goes in, so the note postject adds stays.
	await run('strip', ['--strip-all', executable]).catch(() => process.stderr.write('build-exe: no `strip` here; the executable keeps Node’s debug symbols.\n'));
	const injected = await run(nodeBinary, [postject, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2']);
	// LIEF (inside postject) warns about every note section strip left unnamed; they are harmless, the rest is shown.
	process.stderr.write(injected.stderr.replace(/^warning: Can't find string offset for section name .*\n/gm, ''));

	await mkdir(outdir, {recursive: true});
	// Renamed into place whole, so a concurrent run never starts a half-written executable.
	await copyFile(executable, join(outdir, `.${name}.partial`));
	await rename(join(outdir, `.${name}.partial`), join(outdir, name));
	const {size} = await stat(join(outdir, name));
	process.stdout.write(`${join(outdir, name)}: ${(size / 1e6).toFixed(1)} MB (Node ${nodeVersion.trim()})\n`);
} finally {
	await rm(work, {recursive: true, force: true});
}

/**
 * The CLI and all it imports as one CommonJS script. esbuild bundles it as ESM without code splitting (its lazy
 * `import()`s then become functions that run the module on first use, so a one-shot command still never runs Ink)
 * and with Node's modules turned into require() calls, so the output has no import statement left: only its top-level
 * await (the CLI's last lines) keeps it from being CommonJS, and an async function around it makes it so.
 */
async function bundleOneFile() {
	const builtinsThroughRequire = {
		name: 'builtins-through-require',
		setup(build) {
			build.onResolve({filter: /^node:|^[a-z_]+(\/[a-z_]+)?$/}, args => {
				const name = args.path.replace(/^node:/, '');
				if (!builtinModules.includes(name) || args.namespace === 'builtin') return undefined;
				return {path: name, namespace: 'builtin'};
			});
			build.onLoad({filter: /.*/, namespace: 'builtin'}, args => ({contents: `module.exports = require('node:${args.path}');`, loader: 'js'}));
		},
	};
	// Ink loads react-devtools-core only when DEV is set and it resolves (import.meta.resolve, absent here, so it never
	// does); should that change, the executable says so instead of failing on a missing module.
	const withoutDevtools = {
		name: 'without-devtools',
		setup(build) {
			build.onResolve({filter: /^react-devtools-core$/}, args => ({path: args.path, namespace: 'absent'}));
			build.onLoad({filter: /.*/, namespace: 'absent'}, () => ({contents: "throw new Error('React devtools are not in the single executable');", loader: 'js'}));
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
	if (imports.length > 0) throw new Error(`build-exe: the one-file bundle still imports ${imports.map(({path}) => path).join(', ')}, which the executable cannot load`);
	const text = output.text;
	return [
		'"use strict";',
		// In the executable, __filename is the executable itself: what import.meta.url would name for dependencies that
		// find files next to their own (clipboardy's fallback binaries, which the executable does not carry).
		"const __tokscopeImportMeta = {url: require('node:url').pathToFileURL(__filename).href, dirname: require('node:path').dirname(__filename), filename: __filename};",
		'(async () => {',
		text,
		'})();',
	].join('\n');
}
