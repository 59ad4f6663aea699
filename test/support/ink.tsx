import {EventEmitter} from 'node:events';
import {render as inkRender} from 'ink';
import {render as testingRender} from 'ink-testing-library';
import type {ReactElement} from 'react';
import {act} from 'react';
import {expect, onTestFinished, vi} from 'vitest';

// One way to drive Ink in tests (see STYLE.md): render, press keys and advance fake time inside act(),
// so every update has landed in lastFrame() when the test reads it; wait for a real server's answer with waitFor
// or waitUntil, and start work that changes the screen with settle(), so nothing updates outside act (React warns).
// What render puts on screen is unmounted when the test ends.

/** A terminal of a given size for Ink (ink-testing-library's is 100 columns and no rows). */
class SizedStdout extends EventEmitter {
	frames: string[] = [];
	constructor(
		readonly columns: number,
		readonly rows: number,
	) {
		super();
	}
	write = (frame: string) => {
		this.frames.push(frame);
	};
	lastFrame = () => this.frames.at(-1);
}

class TestStdin extends EventEmitter {
	isTTY = true;
	data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

/** Renders at `columns`×`rows`, as a terminal of that size would show it (the layout at 60×16 and 80×24). */
function renderSized(element: ReactElement, size: {columns: number; rows: number}) {
	const stdout = new SizedStdout(size.columns, size.rows);
	const stdin = new TestStdin();
	const instance = inkRender(element, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new SizedStdout(size.columns, size.rows) as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	return {lastFrame: stdout.lastFrame, stdin, unmount: instance.unmount};
}

export async function render(element: ReactElement, size?: {columns: number; rows: number}) {
	let instance!: {lastFrame: () => string | undefined; stdin: {write: (data: string) => void}; unmount: () => void};
	await act(async () => {
		instance = size ? renderSized(element, size) : testingRender(element);
	});
	const frame = () => instance.lastFrame() ?? '';
	let mounted = true;
	const unmount = async () => {
		if (!mounted) return;
		mounted = false;
		await act(async () => instance.unmount());
	};
	// Off the screen when the test ends, passed or failed: no timer or session of one test runs into the next.
	onTestFinished(unmount);
	return {
		frame,
		/** Waits (real time, inside act) until the frame shows `text`: for answers from a real server. */
		waitFor: (text: string | RegExp, timeout = 10_000) => waitUntil(() => expect(frame()).toMatch(text), timeout),
		press: async (input: string) => {
			await act(async () => {
				instance.stdin.write(input);
			});
			await flush();
		},
		unmount,
	};
}

/** Lets pending promises (a source answering, verification) settle. */
export async function flush(): Promise<void> {
	for (let index = 0; index < 5; index++) {
		await act(async () => {
			await Promise.resolve();
		});
	}
}

/**
 * Waits in real time until `check` passes. Time passes inside act, so what lands meanwhile (a server's answer, a
 * timer) updates the screen the way React expects in tests; the check runs outside act, on the settled frame.
 */
export async function waitUntil(check: () => void, timeout = 10_000): Promise<void> {
	const deadline = Date.now() + timeout;
	for (;;) {
		await act(async () => {
			await new Promise(resolve => setTimeout(resolve, 20));
		});
		try {
			check();
			return;
		} catch (error) {
			if (Date.now() > deadline) throw error;
		}
	}
}

/** Runs work that makes the screen change (a session starting, a browser consenting) inside act, and returns its result. */
export async function settle<T>(work: () => Promise<T>): Promise<T> {
	let result!: T;
	await act(async () => {
		result = await work();
	});
	await flush();
	return result;
}

export async function advance(ms: number): Promise<void> {
	await act(async () => {
		await vi.advanceTimersByTimeAsync(ms);
	});
	await flush();
}

export const keys = {tab: '\t', escape: '\u001B', enter: '\r', down: '\u001B[B', up: '\u001B[A', pageDown: '\u001B[6~'};
