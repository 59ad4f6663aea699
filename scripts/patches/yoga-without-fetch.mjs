/**
 * Ink's layout engine (yoga, compiled by emscripten) loads its WebAssembly with fetch(data: URL) when fetch exists.
 * Touching fetch makes Node load all of undici before the first frame (20+ ms, and memory the live view keeps);
 * the decoding it falls back to without fetch is synchronous and instant. So its loader is told fetch is absent.
 * Measured (scripts/bench/compare-builds.mjs): 16 ms of first frame and 11 MB of the live view at rest.
 * @type {import('./dependency-patches.mjs').Patch}
 */
export default {
	name: 'yoga-without-fetch',
	targets: [
		{
			package: 'yoga-layout',
			version: '3.2.1',
			file: 'dist/binaries/yoga-wasm-base64-esm.js',
			edits: [['"function"!=typeof fetch', 'true']],
		},
	],
	// The loader's fetch branch is gone: what is left reads the inlined bytes.
	inBundle: [/function [\w$]+\(\)\{return Promise\.resolve\(\)\.then\(function\(\)\{return [\w$]+\(\)\}\)\}/],
	notInBundle: [/typeof fetch!="function"\?/],
};
