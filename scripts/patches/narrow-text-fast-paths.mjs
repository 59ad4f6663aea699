import {narrowTerminalText, narrowText} from '../narrow-text.mjs';

/**
 * string-width measures anything beyond ASCII by splitting it into grapheme clusters and testing each against the
 * Unicode emoji set: compiling that pattern costs ~10 ms before the first frame, and every redraw measures the
 * countdown bar (█ ░) cluster by cluster. Text made only of simple one-column characters (narrow-text.mjs, checked
 * against string-width by a test) is as wide as it is long. And the tokenizer Ink runs on every line of every frame
 * walks narrow text (checked against Intl.Segmenter by a test) one code unit at a time, so a screen of plain text,
 * like the source picker, never needs a segmenter.
 * Measured (scripts/bench/compare-builds.mjs): 24 ms of first frame and 7 MB of the live view at rest.
 * @type {import('./dependency-patches.mjs').Patch}
 */
const codeUnits = `
const narrowTerminalText = ${narrowTerminalText};
function* codeUnits(text) { for (let index = 0; index < text.length; index++) yield {segment: text[index], index}; }
`;

export default {
	name: 'narrow-text-fast-paths',
	targets: [
		{
			package: 'string-width',
			version: '8.3.0',
			file: 'index.js',
			edits: [['\tif (/^[\\u0020-\\u007E]*$/.test(string)) {', `\tif (${narrowText}.test(string)) {`]],
		},
		{
			package: '@alcalzone/ansi-tokenize',
			version: '0.3.2',
			file: 'build/tokenize.js',
			edits: [['of segmenter.segment(str))', 'of (narrowTerminalText.test(str) ? codeUnits(str) : segmenter.segment(str)))']],
			append: codeUnits,
		},
	],
	inBundle: [new RegExp(`if\\(${escape(String(narrowText))}\\.test\\(`), new RegExp(`${escape(String(narrowTerminalText))}`)],
};

function escape(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
