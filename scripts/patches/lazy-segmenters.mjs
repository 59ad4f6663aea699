/**
 * Six of Ink's text helpers build an Intl.Segmenter when they load, and the first one loads ICU's break rules:
 * ~20 ms before the first frame. Each is built on first use instead, by a stand-in class put first in the file (the
 * modules build their segmenters while they load).
 * Measured (scripts/bench/compare-builds.mjs): 5 ms of first frame (building the first alone takes ~7 ms) and 2 MB.
 * @type {import('./dependency-patches.mjs').Patch}
 */
const lazy =
	'class LazySegmenter { #options; #real; constructor(...options) { this.#options = options; } ' +
	'segment(text) { return (this.#real ??= new Intl.Segmenter(...this.#options)).segment(text); } }\n';
const target = (name, version, file) => ({
	package: name,
	version,
	file,
	prepend: lazy,
	edits: [['new Intl.Segmenter(', 'new LazySegmenter(']],
});

export default {
	name: 'lazy-segmenters',
	targets: [
		target('string-width', '8.3.0', 'index.js'),
		target('wrap-ansi', '10.0.2', 'index.js'),
		target('cli-truncate', '6.2.0', 'index.js'),
		target('slice-ansi', '10.0.1', 'tokenize-ansi.js'),
		target('@alcalzone/ansi-tokenize', '0.3.2', 'build/tokenize.js'),
		target('ink', '8.0.0', 'build/line-update.js'),
	],
	// Six stand-ins, and no segmenter built anywhere else.
	inBundle: Array(6).fill(/\?\?=new Intl\.Segmenter\(\.\.\.this\.#[\w$]+\)\)\.segment\([\w$]+\)/),
	notInBundle: [/(?<!\?\?=)new Intl\.Segmenter\(/],
};
