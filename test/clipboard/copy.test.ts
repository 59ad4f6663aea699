import {describe, expect, it} from 'vitest';
import {copyText, describeCopy, type ClipboardAccess} from '../../src/clipboard/index.js';
import {osc52, osc52Bytes} from '../../src/clipboard/osc52.js';

/** A clipboard that works, like a laptop's: what was written can be read back. */
function workingClipboard(): ClipboardAccess & {content: string} {
	return {
		content: '',
		async read() {
			return this.content;
		},
		async write(text) {
			this.content = text;
		},
	};
}

const brokenClipboard: ClipboardAccess = {
	read: () => Promise.reject(new Error("Error: Can't open display")),
	write: () => Promise.reject(new Error("Error: Can't open display")),
};

function recorder() {
	const written: string[] = [];
	return {written, write: (bytes: string) => void written.push(bytes)};
}

describe('copyText', () => {
	it('on a laptop puts the text on the system clipboard and writes nothing to the terminal', async () => {
		const clipboard = workingClipboard();
		const terminal = recorder();
		const result = await copyText('ya29.secret', {
			mode: 'auto',
			env: {DISPLAY: ':0'},
			platform: 'linux',
			system: clipboard,
			write: terminal.write,
		});
		expect(result).toEqual({way: 'system'});
		expect(clipboard.content).toBe('ya29.secret');
		expect(terminal.written).toEqual([]);
		expect(describeCopy('the access token', result)).toBe('Copied the access token to the system clipboard.');
	});

	it('over SSH inside tmux writes OSC 52 for tmux and leaves the remote machine’s clipboard alone', async () => {
		const clipboard = workingClipboard();
		const terminal = recorder();
		const result = await copyText('secret', {
			mode: 'auto',
			env: {SSH_TTY: '/dev/pts/3', TMUX: 'x'},
			system: clipboard,
			write: terminal.write,
		});
		expect(result).toEqual({way: 'osc52-tmux'});
		expect(terminal.written).toEqual([osc52Bytes('secret', 'tmux')]);
		expect(clipboard.content).toBe('');
		expect(describeCopy('the ID token', result)).toBe('Copied the ID token via OSC 52 through tmux.');
	});

	it('inside GNU screen says so', async () => {
		const terminal = recorder();
		const result = await copyText('secret', {mode: 'osc52', env: {STY: '1.pts-0.vm'}, write: terminal.write});
		expect(describeCopy('the ID token', result)).toBe('Copied the ID token via OSC 52 through screen.');
		expect(terminal.written).toEqual([osc52Bytes('secret', 'screen')]);
	});

	it('falls back to OSC 52 when the system clipboard fails, and says why', async () => {
		const terminal = recorder();
		const result = await copyText('secret', {mode: 'auto', env: {}, platform: 'darwin', system: brokenClipboard, write: terminal.write});
		expect(result).toEqual({way: 'osc52', note: 'no system clipboard here'});
		expect(terminal.written).toEqual([osc52('secret')]);
		expect(describeCopy('the access token', result)).toBe('Copied the access token via OSC 52 (no system clipboard here).');
	});

	it('with --clipboard system and no clipboard, is one sentence pointing at osc52, and writes nothing', async () => {
		const terminal = recorder();
		await expect(copyText('secret', {mode: 'system', env: {}, system: brokenClipboard, write: terminal.write})).rejects.toThrow(
			/^The system clipboard is not available here \(no display or clipboard tool\); try --clipboard osc52\.$/,
		);
		expect(terminal.written).toEqual([]);
	});

	it('refuses text too long for a terminal with a sentence that never contains the text', async () => {
		const terminal = recorder();
		const huge = `ya29.${'a'.repeat(80_000)}`;
		const failure = copyText(huge, {mode: 'osc52', env: {}, write: terminal.write});
		await expect(failure).rejects.toThrow(/^The text is too long to copy through the terminal \(OSC 52 carries at most about 75 kB\)\.$/);
		expect(terminal.written).toEqual([]);
	});

	it('on a Linux box with no display does not even ask for a system clipboard, and says why it used OSC 52', async () => {
		const terminal = recorder();
		const asked: string[] = [];
		const spy: ClipboardAccess = {read: async () => '', write: async text => void asked.push(text)};
		const result = await copyText('secret', {
			mode: 'auto',
			env: {TERM: 'xterm-256color'},
			platform: 'linux',
			system: spy,
			write: terminal.write,
		});
		expect(result).toEqual({way: 'osc52', note: 'no system clipboard here'});
		expect(asked).toEqual([]);
		expect(terminal.written).toEqual([osc52('secret')]);
	});

	// This machine, like CI and most VMs, has no display: the real clipboardy fails, and --clipboard system says so.
	it.skipIf(process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY))(
		'with --clipboard system and the real clipboardy on a headless box, is one sentence',
		async () => {
			await expect(copyText('secret', {mode: 'system', env: {}, write: () => {}})).rejects.toThrow(
				/system clipboard is not available here/,
			);
		},
	);
});
