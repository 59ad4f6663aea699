// Bundles the CLI with esbuild: one file per lazily imported part, so print-* and inspect never load Ink or React
// (test/build proves it), React in production mode, minified. Bundling is what makes the first frame fast: Node
// reads a few files instead of hundreds (see README "Speed" and `npm run bench`).
//
// node scripts/build.mjs [--outdir DIR] [--metafile]   (default dist/; --metafile writes DIR/meta.json, the chunk graph)
import {build} from 'esbuild';
import {builtinModules} from 'node:module';
import {readFile, rm, writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {narrowTerminalText, narrowText} from './narrow-text.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const {values: flags} = parseArgs({options: {outdir: {type: 'string', default: join(root, 'dist')}, metafile: {type: 'boolean', default: false}}});
const outdir = resolve(flags.outdir);

/**
 * Node's own modules through require() rather than ESM import. Importing a builtin as ESM builds its export
 * namespace by reading every export, and node:http's include getters (WebSocket, …) that load all of undici:
 * 20–40 ms on a one-shot command that only wanted http.get. require() reads nothing until used.
 */
const builtinsThroughRequire = {
	name: 'builtins-through-require',
	setup(build) {
		build.onResolve({filter: /^node:|^[a-z_]+(\/[a-z_]+)?$/}, args => {
			const name = args.path.replace(/^node:/, '');
			if (!builtinModules.includes(name) || args.namespace === 'builtin') return undefined;
			return {path: name, namespace: 'builtin'};
		});
		build.onLoad({filter: /.*/, namespace: 'builtin'}, async args => ({contents: lazyBuiltins.has(args.path) ? await lazyModule(args.path) : `module.exports = require('node:${args.path}');`, loader: 'js'}));
	},
};

/**
 * Builtins imported at load time whose import costs more than their use, loaded on first use of a property instead:
 * commander imports node:child_process (with net, dgram and streams, ~6 ms) for subcommands we never run as
 * programs, and node:util, whose namespace copy reads every export and so builds the lazy ones (TextDecoder, diff,
 * parseArgs: ~15 ms before the first frame); node:fs/promises is only used after the first frame. All are plain
 * objects of functions, safe behind a proxy.
 */
const lazyBuiltins = new Set(['child_process', 'util', 'fs/promises']);
const lazyModule = async name => `let real;
const load = () => (real ??= require('node:${name}'));
// Its export names are known at build time, so an ESM import's namespace copy reads them without loading it.
const names = ${JSON.stringify(Object.keys(await import(`node:${name}`)).filter(key => key !== 'default'))};
module.exports = new Proxy({}, {
	get: (_, key) => load()[key],
	has: (_, key) => key in load(),
	ownKeys: () => names,
	getOwnPropertyDescriptor: (_, key) => (names.includes(key) ? {get: () => load()[key], enumerable: true, configurable: true} : undefined),
});`;

/**
 * A dependency's source with each [original, replacement] made, as an onLoad result. When any original is missing,
 * the dependency has changed: its source stays whole, and the build warns with `lost`, what the bundle goes without.
 */
function patch(source, replacements, lost) {
	if (!replacements.every(([original]) => source.includes(original))) return {contents: source, loader: 'js', warnings: [{text: lost}]};
	return {contents: replacements.reduce((text, [original, replacement]) => text.replaceAll(original, replacement), source), loader: 'js'};
}

/**
 * Ink's layout engine (yoga, compiled by emscripten) loads its WebAssembly with fetch(data: URL) when fetch exists.
 * Touching fetch makes Node load all of undici before the first frame (20+ ms, and memory the live view keeps);
 * the decoding it falls back to without fetch is synchronous and instant. So its loader is told fetch is absent.
 */
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(build) {
		build.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/][^\\/]+\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			return patch(source, [['"function"!=typeof fetch', 'true']], 'yoga-layout no longer tests `typeof fetch` as expected: its loader may load undici before the first frame');
		});
	},
};

/**
 * gaxios loads its proxy agent with `(await import('https-proxy-agent')).HttpsProxyAgent`. Split out of the bundle,
 * that CommonJS package becomes a chunk whose only export is `default`, so behind HTTPS_PROXY every request to a
 * real Google host failed with "p is not a constructor". The patch reads the class from either shape.
 */
const gaxiosProxyAgent = {
	name: 'gaxios-proxy-agent',
	setup(build) {
		build.onLoad({filter: /gaxios[\\/]build[\\/](cjs|esm)[\\/]src[\\/]gaxios\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const original = "(await import('https-proxy-agent')).HttpsProxyAgent";
			const replacement = "(m => m.HttpsProxyAgent ?? m.default.HttpsProxyAgent)(await import('https-proxy-agent'))";
			return patch(source, [[original, replacement]], 'gaxios no longer imports https-proxy-agent as expected: check that a proxy still works in the bundle');
		});
	},
};

/**
 * string-width measures anything beyond ASCII by splitting it into grapheme clusters and testing each against the
 * Unicode emoji set: compiling that pattern costs ~10 ms before the first frame, and every redraw measures the
 * countdown bar (█ ░) cluster by cluster. Text made only of simple one-column characters (narrow-text.mjs, checked
 * against string-width by a test) is as wide as it is long.
 */
const narrowTextFastPath = {
	name: 'narrow-text-fast-path',
	setup(build) {
		build.onLoad({filter: /string-width[\\/]index\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const asciiPath = "\tif (/^[\\u0020-\\u007E]*$/.test(string)) {";
			const result = patch(source, [[asciiPath, `\tif (${narrowText}.test(string)) {`]], 'string-width changed: its ASCII fast path was not found, so narrow text takes the slow path');
			return {...result, contents: segmentersOnFirstUse(result.contents)};
		});
	},
};

/**
 * Six of Ink's text helpers build an Intl.Segmenter when they load, and the first one loads ICU's break rules:
 * ~20 ms before the first frame. Built on first use instead; and the tokenizer Ink runs on every line of every
 * frame walks narrow text (narrow-text.mjs, checked against Intl.Segmenter by a test) one code unit at a time, so
 * a screen of plain text, like the source picker, never needs one.
 */
function segmentersOnFirstUse(source) {
	if (!source.includes('new Intl.Segmenter(')) return source;
	// First in the file: the modules build their segmenters while they load.
	const lazy = 'class LazySegmenter { #options; #real; constructor(...options) { this.#options = options; } segment(text) { return (this.#real ??= new Intl.Segmenter(...this.#options)).segment(text); } }\n';
	return lazy + source.replaceAll('new Intl.Segmenter(', 'new LazySegmenter(');
}

const textHelpersWithoutSegmenters = {
	name: 'text-helpers-without-segmenters',
	setup(build) {
		build.onLoad({filter: /node_modules[\\/](wrap-ansi|cli-truncate|slice-ansi|@alcalzone[\\/]ansi-tokenize|ink)[\\/].*\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			if (!source.includes('new Intl.Segmenter(')) return undefined;
			if (!/ansi-tokenize[\\/]build[\\/]tokenize\.js$/.test(args.path)) return {contents: segmentersOnFirstUse(source), loader: 'js'};
			const loop = [
				'of segmenter.segment(str))',
				'of (narrowTerminalText.test(str) ? codeUnits(str) : segmenter.segment(str)))',
			];
			const result = patch(source, [loop], 'ansi-tokenize changed: its grapheme loop was not found, so every line of every frame is segmented');
			const helpers = `\nconst narrowTerminalText = ${narrowTerminalText};\nfunction* codeUnits(text) { for (let index = 0; index < text.length; index++) yield {segment: text[index], index}; }\n`;
			return {...result, contents: segmentersOnFirstUse(result.warnings ? result.contents : result.contents + helpers)};
		});
	},
};

/**
 * Ink turns every line of every frame into styled cells, and its cache for that (text → cells, text → width) lives
 * for one frame. In the live view the countdown redraws once a second while almost every line stays the same, so
 * the cache is kept across frames (emptied when it grows large): each tick and each refresh then only re-reads the
 * lines that changed. The cached cells are never mutated (Output copies a cell before changing it).
 */
const inkOutputCacheAcrossFrames = {
	name: 'ink-output-cache-across-frames',
	setup(build) {
		build.onLoad({filter: /ink[\\/]build[\\/]output\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const shared = [
				'let sharedCaches;',
				'const framesCaches = () => (sharedCaches && sharedCaches.styledChars.size + sharedCaches.widths.size < 5000 ? sharedCaches : (sharedCaches = new OutputCaches()));',
				'export default class Output {',
			].join('\n');
			const replacements = [
				['export default class Output {', shared],
				['caches = new OutputCaches();', 'caches = framesCaches();'],
			];
			return patch(source, replacements, 'ink/build/output.js changed: its per-frame caches are no longer shared across frames');
		});
	},
};

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
	plugins: [builtinsThroughRequire, yogaWithoutFetch, gaxiosProxyAgent, inkOutputCacheAcrossFrames, narrowTextFastPath, textHelpersWithoutSegmenters],
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
	logLevel: 'warning',
});
if (flags.metafile) await writeFile(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
// The chunks are ES modules wherever the bundle is copied (the bench and tests build it under /tmp): without
// this, Node finds no "type" above them and parses each one twice to guess (~8 ms before the first frame).
await writeFile(join(outdir, 'package.json'), '{"type": "module"}\n');
