// Bundles the CLI with esbuild: one file per lazily imported part, so print-* and inspect never load Ink or React
// (test/build proves it), React in production mode, minified. Bundling is what makes the first frame fast: Node
// reads a few files instead of hundreds (see README "Speed" and `npm run bench`).
//
// node scripts/build.mjs [--outdir DIR] [--metafile]   (default dist/; --metafile writes DIR/meta.json, the chunk graph)
import {build, formatMessages} from 'esbuild';
import {rm, writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {builtinsThroughRequire} from './patches/builtins-through-require.mjs';
import {dependencyPatches, patches} from './patches/index.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const {values: flags} = parseArgs({
	options: {outdir: {type: 'string', default: join(root, 'dist')}, metafile: {type: 'boolean', default: false}},
});
const outdir = resolve(flags.outdir);

// TOKSCOPE_BUILD_WITHOUT=name,… leaves patches (or builtins-through-require) out, to measure what each is worth
// (scripts/bench/compare-builds.mjs, or `npm run bench`); never for a bundle that ships.
const without = new Set(process.env.TOKSCOPE_BUILD_WITHOUT?.split(',').filter(Boolean));
for (const name of without) {
	const known = name === builtinsThroughRequire.name || patches.some(patch => patch.name === name);
	if (!known) throw new Error(`TOKSCOPE_BUILD_WITHOUT: no patch is called ${name}`);
}
// Node's modules through require(), then the edits to dependencies (scripts/patches: each fails the build when its
// dependency has changed under it).
const plugins = [
	...(without.has(builtinsThroughRequire.name) ? [] : [builtinsThroughRequire]),
	dependencyPatches(patches.filter(patch => !without.has(patch.name))),
];

async function report(messages, kind) {
	if (messages.length > 0) process.stderr.write((await formatMessages(messages, {kind, color: process.stderr.isTTY})).join(''));
}

await rm(outdir, {recursive: true, force: true});
const result = await build({
	absWorkingDir: root,
	entryPoints: ['src/cli.ts'],
	outdir,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node22',
	minify: true,
	sourcemap: false,
	legalComments: 'none',
	metafile: flags.metafile,
	plugins,
	// React and its reconciler pick their production builds from NODE_ENV; without this the TUI runs React's
	// development checks (slower first frame, more memory at rest).
	define: {'process.env.NODE_ENV': '"production"'},
	// Node 22 has these regular expressions; lowered to `new RegExp(...)` they would be compiled while the module
	// loads instead of on first use (the Unicode emoji set alone took ~20 ms before the first frame).
	supported: {'regexp-unicode-property-escapes': true, 'regexp-set-notation': true},
	// Ink only loads react-devtools-core when DEV is set; never ship it. clipboardy finds the xsel and Windows
	// clipboard programs it ships next to its own files, which a bundle would not have: it loads from node_modules
	// (only on the first local copy).
	external: ['react-devtools-core', 'clipboardy'],
	banner: {
		js: [
			'#!/usr/bin/env node',
			// Bundled CommonJS dependencies still call require() for Node's own modules.
			"import {createRequire as __tokscopeRequire} from 'node:module';",
			'const require = __tokscopeRequire(import.meta.url);',
		].join('\n'),
	},
	// Printed below: esbuild does not print errors raised when the build ends (a patch whose file left the bundle).
	logLevel: 'silent',
}).catch(async error => {
	// For a patch: one sentence naming it, the package, the version it was written for and the version found.
	await report(error.errors ?? [], 'error');
	if (!error.errors) console.error(error);
	process.exit(1);
});
await report(result.warnings, 'warning');
if (flags.metafile) await writeFile(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
// The chunks are ES modules wherever the bundle is copied (the bench and tests build it under /tmp): without
// this, Node finds no "type" above them and parses each one twice to guess (~8 ms before the first frame).
await writeFile(join(outdir, 'package.json'), '{"type": "module"}\n');
