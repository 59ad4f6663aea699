import {describe, expect, it} from 'vitest';
import {firstChoice, multiplexerOf} from '../../src/clipboard/choose.js';
import {copyText, describeCopy, scheduleClipboardClear} from '../../src/clipboard/index.js';
import {osc52, osc52Fits, wrapOsc52} from '../../src/clipboard/osc52.js';

describe('OSC 52 bytes', () => {
	it('encodes the text as base64 in an OSC 52 clipboard write ended by BEL', () => {
		expect(osc52('ya29.token')).toBe('\u001B]52;c;eWEyOS50b2tlbg==\u0007');
	});

	it('wraps for tmux passthrough by doubling every ESC', () => {
		expect(wrapOsc52(osc52('hi'), 'tmux')).toBe('\u001BPtmux;\u001B\u001B]52;c;aGk=\u0007\u001B\\');
	});

	it('splits for GNU screen into DCS chunks of at most 768 bytes', () => {
		const wrapped = wrapOsc52(osc52('x'.repeat(1200)), 'screen');
		const chunks = wrapped.split('\u001B\\').filter(Boolean);
		expect(chunks.length).toBe(3);
		for (const chunk of chunks) {
			expect(chunk.startsWith('\u001BP')).toBe(true);
			expect(chunk.length - 2).toBeLessThanOrEqual(768);
		}
		expect(chunks.map(chunk => chunk.slice(2)).join('')).toBe(osc52('x'.repeat(1200)));
	});

	it('refuses payloads terminals would drop', () => {
		expect(osc52Fits('t'.repeat(2000))).toBe(true);
		expect(osc52Fits('t'.repeat(80_000))).toBe(false);
	});
});

describe('choosing the way to the user', () => {
	it('uses OSC 52 over SSH and the system clipboard locally, unless forced', () => {
		expect(firstChoice('auto', {SSH_CONNECTION: '10.0.0.1 5000 10.0.0.2 22'})).toBe('osc52');
		expect(firstChoice('auto', {SSH_TTY: '/dev/pts/1'})).toBe('osc52');
		expect(firstChoice('auto', {})).toBe('system');
		expect(firstChoice('osc52', {})).toBe('osc52');
		expect(firstChoice('system', {SSH_TTY: '/dev/pts/1'})).toBe('system');
	});

	it('detects tmux and screen', () => {
		expect(multiplexerOf({TMUX: '/tmp/tmux-0/default,1,0'})).toBe('tmux');
		expect(multiplexerOf({STY: '123.pts-0'})).toBe('screen');
		expect(multiplexerOf({TERM: 'screen-256color'})).toBe('screen');
		expect(multiplexerOf({TERM: 'xterm-256color'})).toBe('none');
	});

	it('writes the sequence over SSH and inside tmux both plain (set-clipboard on) and wrapped (passthrough)', async () => {
		const written: string[] = [];
		const result = await copyText('secret', {mode: 'auto', env: {SSH_TTY: '/dev/pts/3', TMUX: 'x'}, write: bytes => written.push(bytes)});
		expect(result.way).toBe('osc52-tmux');
		expect(written).toEqual([osc52('secret') + wrapOsc52(osc52('secret'), 'tmux')]);
		expect(describeCopy('the ID token', result)).toBe('Copied the ID token via OSC 52 through tmux.');
	});

	// Headless machines (CI, a VM) have no system clipboard: clipboardy fails and the terminal carries the copy.
	it.skipIf(Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY))('falls back to OSC 52 when there is no system clipboard, and says why', async () => {
		const written: string[] = [];
		const result = await copyText('secret', {mode: 'auto', env: {}, write: bytes => written.push(bytes)});
		expect(result).toEqual({way: 'osc52', note: 'no system clipboard here'});
		expect(written).toEqual([osc52('secret')]);
		expect(scheduleClipboardClear('secret', 5, result).note).toBe('the terminal keeps OSC 52 copies; clear it there yourself');
		await expect(copyText('secret', {mode: 'system', env: {}})).rejects.toThrow(/system clipboard is not available here/);
	});
});
