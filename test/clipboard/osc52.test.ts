import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {osc52, osc52Bytes, osc52Fits, wrapOsc52} from '../../src/clipboard/osc52.js';

/* eslint-disable no-control-regex -- OSC 52 and the tmux/screen passthrough are escape sequences: reading them is this test's subject */

const ESC = '\u001B';
const BEL = '\u0007';

describe('OSC 52 bytes', () => {
	it('encodes the text as base64 in an OSC 52 clipboard write ended by BEL', () => {
		expect(osc52('ya29.token')).toBe(`${ESC}]52;c;eWEyOS50b2tlbg==${BEL}`);
	});

	it('carries UTF-8 text (claims JSON with names) intact', () => {
		expect(osc52('Zoë')).toBe(`${ESC}]52;c;Wm/Dqw==${BEL}`);
	});

	it('goes out plain with no multiplexer', () => {
		expect(osc52Bytes('hi', 'none')).toBe(`${ESC}]52;c;aGk=${BEL}`);
	});

	it('wraps for tmux passthrough by doubling every ESC', () => {
		expect(wrapOsc52(osc52('hi'), 'tmux')).toBe(`${ESC}Ptmux;${ESC}${ESC}]52;c;aGk=${BEL}${ESC}\\`);
	});

	it('inside tmux sends the plain sequence (set-clipboard on) and then the wrapped one (allow-passthrough on)', () => {
		expect(osc52Bytes('hi', 'tmux')).toBe(`${ESC}]52;c;aGk=${BEL}${ESC}Ptmux;${ESC}${ESC}]52;c;aGk=${BEL}${ESC}\\`);
	});

	it('wraps a short sequence for GNU screen as one DCS string', () => {
		expect(osc52Bytes('hi', 'screen')).toBe(`${ESC}P${ESC}]52;c;aGk=${BEL}${ESC}\\`);
	});

	it('splits a token-sized sequence for GNU screen into DCS strings of at most 768 bytes that rebuild it', () => {
		const token = 'x'.repeat(1200);
		const wrapped = osc52Bytes(token, 'screen');
		const chunks = wrapped.split(`${ESC}\\`);
		expect(chunks.pop()).toBe('');
		expect(chunks.length).toBe(3);
		for (const chunk of chunks) {
			expect(chunk.startsWith(`${ESC}P`)).toBe(true);
			expect(chunk.length - 2).toBeLessThanOrEqual(768);
		}
		expect(chunks.map(chunk => chunk.slice(2)).join('')).toBe(osc52(token));
	});

	it('accepts tokens and refuses payloads terminals would drop (base64 over 100 000 bytes)', () => {
		expect(osc52Fits('t'.repeat(2000))).toBe(true);
		expect(osc52Fits('t'.repeat(75_000))).toBe(true);
		expect(osc52Fits('t'.repeat(75_003))).toBe(false);
	});
});

describe('OSC 52 bytes for any text', () => {
	const frame = /^\u001B\]52;c;([A-Za-z0-9+/=]*)\u0007$/;

	it('carry the text back exactly, and nothing in it (ESC, BEL, newlines) can end the sequence early', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary'}), text => {
				const payload = frame.exec(osc52(text))?.[1];
				expect(payload).toBeDefined();
				expect(Buffer.from(payload ?? '', 'base64').toString('utf8')).toBe(Buffer.from(text, 'utf8').toString('utf8'));
			}),
		);
	});

	it('survive tmux and screen wrapping: unwrapped they are the plain sequence again', () => {
		fc.assert(
			fc.property(fc.string({maxLength: 3000}), text => {
				const plain = osc52(text);
				const tmux = osc52Bytes(text, 'tmux');
				expect(tmux.startsWith(plain)).toBe(true);
				expect(
					tmux
						.slice(plain.length)
						.replace(/^\u001BPtmux;/, '')
						.replace(/\u001B\\$/, '')
						.replaceAll('\u001B\u001B', '\u001B'),
				).toBe(plain);
				const screen = osc52Bytes(text, 'screen').split('\u001B\\').filter(Boolean);
				for (const chunk of screen) expect(chunk.length - 2).toBeLessThanOrEqual(768);
				expect(screen.map(chunk => chunk.replace(/^\u001BP/, '')).join('')).toBe(plain);
			}),
		);
	});
});
