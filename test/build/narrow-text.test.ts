import fc from 'fast-check';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {narrowTerminalText, narrowText} from '../../scripts/narrow-text.mjs';

// The bundle measures text matching narrowText as one column per character without asking string-width (see
// scripts/build.mjs): the columns of the live view line up only if string-width agrees, character by character and
// for any string of them.
const narrow = Array.from({length: 0x1_0000}, (_, code) => String.fromCharCode(code)).filter(character => narrowText.test(character));

describe('the bundle’s fast path for narrow text', () => {
	it('covers the glyphs the live view draws with, and nothing string-width measures otherwise', () => {
		const drawn = ['·', '—', '…', '’', '⇄', '█', '░', 'é', '✓', '✗', '⚠', '❯', '−'];
		for (const glyph of drawn) expect(narrowText.test(glyph)).toBe(true);
		for (const wide of ['✅', '☕', '⚡', '漢', '\u0301', '\u00AD', '\u200B', '\u2028', '\uFE0F'])
			expect(narrowText.test(wide)).toBe(false);
		const disagreeing = narrow.filter(character => stringWidth(character) !== 1);
		expect(disagreeing).toEqual([]);
	});

	it('is as wide as it is long for any string of those characters, as string-width measures it', () => {
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...narrow), {maxLength: 40}), characters => {
				const text = characters.join('');
				expect(stringWidth(text)).toBe(text.length);
			}),
			{numRuns: 3000},
		);
	});

	it('splits into one grapheme per code unit, line feeds and escape sequences included, as Intl.Segmenter splits it', () => {
		const segmenter = new Intl.Segmenter();
		const terminal = [...narrow, '\n', '\x1b'];
		expect(narrowTerminalText.test('\r\n')).toBe(false);
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...terminal), {maxLength: 40}), characters => {
				const text = characters.join('');
				expect(narrowTerminalText.test(text)).toBe(true);
				expect([...segmenter.segment(text)].map(part => part.segment)).toEqual([...text]);
			}),
			{numRuns: 3000},
		);
	});
});
