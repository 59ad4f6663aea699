// Bundles the CLI into dist/ with esbuild: one file per lazily imported part (Ink only loads for the TUI),
// React in production mode. Bundling is what makes the first frame fast (see README "Speed").
import {build} from 'esbuild';
import {rm} from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), {recursive: true, force: true});
await build({
	entryPoints: ['src/cli.ts'],
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node22',
	minify: true,
	sourcemap: false,
	legalComments: 'none',
	define: {'process.env.NODE_ENV': '"production"'},
	// Ink only loads react-devtools-core when DEV is set; never ship it.
	external: ['react-devtools-core'],
	banner: {
		js: [
			'#!/usr/bin/env node',
			"import {createRequire as __tokscopeRequire} from 'node:module';",
			'const require = __tokscopeRequire(import.meta.url);',
		].join('\n'),
	},
	logLevel: 'warning',
});
