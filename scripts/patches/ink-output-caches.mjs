/**
 * Ink turns every line of every frame into styled cells, and its cache for that (text → cells, text → width) lives
 * for one frame. In the live view the countdown redraws once a second while almost every line stays the same, so
 * the cache is kept across frames (emptied when it grows large): each tick and each refresh then only re-reads the
 * lines that changed. The cached cells are never mutated (Output copies a cell before changing it).
 * @type {import('./dependency-patches.mjs').Patch}
 */
const shared = [
	'let sharedCaches;',
	'const framesCaches = () => (sharedCaches && sharedCaches.styledChars.size + sharedCaches.widths.size < 5000 ? sharedCaches : (sharedCaches = new OutputCaches()));',
	'export default class Output {',
].join('\n');

export default {
	name: 'ink-output-caches',
	targets: [
		{
			package: 'ink',
			version: '8.0.0',
			file: 'build/output.js',
			edits: [
				['export default class Output {', shared],
				['caches = new OutputCaches();', 'caches = framesCaches();'],
			],
		},
	],
	inBundle: [/([\w$]+)&&\1\.styledChars\.size\+\1\.widths\.size<5e3\?\1:\1=new [\w$]+/],
};
