// Bundles the CLI with esbuild: one file per lazily imported part, so print-* and inspect never load Ink or React
// (test/build proves it), React in production mode, minified. Bundling is what makes the first frame fast: Node
// reads a few files instead of hundreds (see README "Speed" and `npm run bench`).
//
// node scripts/build.mjs [--outdir DIR] [--metafile]   (default dist/; --metafile writes DIR/meta.json, the chunk graph)
import {build} from 'esbuild';
import {rm, writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const {values: flags} = parseArgs({options: {outdir: {type: 'string', default: join(root, 'dist')}, metafile: {type: 'boolean', default: false}}});
const outdir = resolve(flags.outdir);

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
	// React and its reconciler pick their production builds from NODE_ENV; without this the TUI runs React's
	// development checks (slower first frame, more memory at rest).
	define: {'process.env.NODE_ENV': '"production"'},
	// Ink only loads react-devtools-core when DEV is set; never ship it.
	external: ['react-devtools-core'],
	banner: {
		js: [
			'#!/usr/bin/env node',
			// Bundled CommonJS dependencies still call require() for Node's own modules.
			"import {createRequire as __tokscopeRequire} from 'node:module';",
			'const require = __tokscopeRequire(import.meta.url);',
		].join('\n'),
	},
	logLevel: 'warning',
});
if (flags.metafile) await writeFile(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
