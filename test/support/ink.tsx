import {render as inkRender} from 'ink-testing-library';
import type {ReactElement} from 'react';
import {act} from 'react';
import {vi} from 'vitest';

// One way to drive Ink in tests (see STYLE.md): render, press keys and advance fake time inside act(),
// so every update has landed in lastFrame() when the test reads it.

export async function render(element: ReactElement) {
	let instance!: ReturnType<typeof inkRender>;
	await act(async () => {
		instance = inkRender(element);
	});
	return {
		frame: () => instance.lastFrame() ?? '',
		press: async (input: string) => {
			await act(async () => {
				instance.stdin.write(input);
			});
			await flush();
		},
		unmount: async () => {
			await act(async () => instance.unmount());
		},
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

export async function advance(ms: number): Promise<void> {
	await act(async () => {
		await vi.advanceTimersByTimeAsync(ms);
	});
	await flush();
}

export const keys = {tab: '\t', escape: '\u001B', enter: '\r', down: '\u001B[B'};
