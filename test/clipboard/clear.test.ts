import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {copyAndConfirm, scheduleClipboardClear, type ClipboardAccess} from '../../src/clipboard/index.js';

function clipboardHolding(content: string): ClipboardAccess & {content: string} {
	return {
		content,
		async read() {
			return this.content;
		},
		async write(text) {
			this.content = text;
		},
	};
}

describe('--clear-clipboard', () => {
	beforeEach(() => void vi.useFakeTimers());
	afterEach(() => void vi.useRealTimers());

	it('clears the system clipboard once the time is up, not before', async () => {
		const clipboard = clipboardHolding('ya29.secret');
		const plan = scheduleClipboardClear('ya29.secret', 30, {way: 'system'}, clipboard);
		expect(plan.note).toBe('the clipboard will be cleared in 30 s');
		await vi.advanceTimersByTimeAsync(29_000);
		expect(clipboard.content).toBe('ya29.secret');
		await vi.advanceTimersByTimeAsync(1000);
		expect(clipboard.content).toBe('');
		await expect(plan.outcome).resolves.toBe('cleared');
	});

	it('leaves alone whatever the user copied since, as password managers do', async () => {
		const clipboard = clipboardHolding('ya29.secret');
		const plan = scheduleClipboardClear('ya29.secret', 10, {way: 'system'}, clipboard);
		clipboard.content = 'my shopping list';
		await vi.advanceTimersByTimeAsync(10_000);
		expect(clipboard.content).toBe('my shopping list');
		await expect(plan.outcome).resolves.toBe('changed');
	});

	it('does nothing once cancelled (a newer copy schedules its own clear)', async () => {
		const clipboard = clipboardHolding('ya29.secret');
		const plan = scheduleClipboardClear('ya29.secret', 10, {way: 'system'}, clipboard);
		plan.cancel();
		await vi.advanceTimersByTimeAsync(10_000);
		expect(clipboard.content).toBe('ya29.secret');
		await expect(plan.outcome).resolves.toBe('cancelled');
	});

	it('survives a clipboard that went away', async () => {
		const gone: ClipboardAccess = {
			read: () => Promise.reject(new Error('no display')),
			write: () => Promise.reject(new Error('no display')),
		};
		const plan = scheduleClipboardClear('ya29.secret', 1, {way: 'system'}, gone);
		await vi.advanceTimersByTimeAsync(1000);
		await expect(plan.outcome).resolves.toBe('unavailable');
	});

	it('for OSC 52 says the terminal keeps the copy instead of wiping it blindly', async () => {
		const clipboard = clipboardHolding('ya29.secret');
		for (const way of ['osc52', 'osc52-tmux', 'osc52-screen'] as const) {
			const plan = scheduleClipboardClear('ya29.secret', 5, {way}, clipboard);
			expect(plan.note).toBe('the terminal keeps OSC 52 copies, so clear it there yourself');
			await expect(plan.outcome).resolves.toBe('kept-by-terminal');
		}
		await vi.advanceTimersByTimeAsync(5000);
		expect(clipboard.content).toBe('ya29.secret');
	});
});

describe('copyAndConfirm (what the copy keys and print --copy call)', () => {
	beforeEach(() => void vi.useFakeTimers());
	afterEach(() => void vi.useRealTimers());

	it('copies, promises the clear in the same sentence, and clears when the time is up', async () => {
		const clipboard = clipboardHolding('');
		const copied = await copyAndConfirm('ya29.secret', 'the access token', {
			mode: 'auto',
			env: {DISPLAY: ':0'},
			platform: 'linux',
			system: clipboard,
			clearAfterSeconds: 20,
		});
		expect(copied.message).toBe('Copied the access token to the system clipboard (the clipboard will be cleared in 20 s).');
		expect(clipboard.content).toBe('ya29.secret');
		await vi.advanceTimersByTimeAsync(20_000);
		await expect(copied.clear?.outcome).resolves.toBe('cleared');
		expect(clipboard.content).toBe('');
	});

	it('over OSC 52 keeps every note in one parenthesis and says the terminal keeps the copy', async () => {
		const copied = await copyAndConfirm('secret', 'the ID token', {
			mode: 'auto',
			env: {TERM: 'xterm'},
			platform: 'linux',
			write: () => {},
			clearAfterSeconds: 20,
		});
		expect(copied.message).toBe(
			'Copied the ID token via OSC 52 (no system clipboard here; the terminal keeps OSC 52 copies, so clear it there yourself).',
		);
	});

	it('without --clear-clipboard is just the copy sentence', async () => {
		const copied = await copyAndConfirm('secret', 'the ID token', {mode: 'osc52', env: {TMUX: 'x'}, write: () => {}});
		expect(copied).toEqual({message: 'Copied the ID token via OSC 52 through tmux.', result: {way: 'osc52-tmux'}, clear: undefined});
	});
});
