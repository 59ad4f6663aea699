import {timerDelayMs} from '../core/schedule.js';
import type {CopyResult} from './copy-result.js';
import {maxClearSeconds} from './options.js';
import {systemClipboard, type ClipboardAccess} from './system.js';

export type ClearOutcome = 'cleared' | 'changed' | 'unavailable' | 'cancelled' | 'kept-by-terminal';

export interface ClearPlan {
	/** Shown after the copy confirmation, e.g. "the clipboard will be cleared in 30 s". */
	note: string;
	cancel(): void;
	/** Settles when the time is up (or at once when there is nothing we can clear); a one-shot command may await it. */
	outcome: Promise<ClearOutcome>;
}

/**
 * Clears the system clipboard after `seconds` if it still holds what we put there, as password managers do:
 * whatever the user copied since is theirs and stays. A terminal that received OSC 52 keeps its copy, and we
 * cannot read it back to know whether it is still ours, so we say so rather than wipe it blindly.
 */
export function scheduleClipboardClear(
	text: string,
	seconds: number,
	result: CopyResult,
	clipboard: ClipboardAccess = systemClipboard,
): ClearPlan {
	if (result.way !== 'system') {
		return {
			note: 'the terminal keeps OSC 52 copies, so clear it there yourself',
			cancel: () => {},
			outcome: Promise.resolve('kept-by-terminal'),
		};
	}
	let settle: (outcome: ClearOutcome) => void = () => {};
	const outcome = new Promise<ClearOutcome>(resolve => (settle = resolve));
	const clearIfStillOurs = async () => {
		try {
			if ((await clipboard.read()) !== text) return settle('changed');
			await clipboard.write('');
			settle('cleared');
		} catch {
			// The clipboard went away (display closed); nothing left that we can clear.
			settle('unavailable');
		}
	};
	const timer = setTimeout(() => void clearIfStillOurs(), timerDelayMs(Math.min(seconds, maxClearSeconds) * 1000));
	// A pending clear never keeps a finished program alive; a one-shot command that wants it awaits `outcome`.
	timer.unref();
	return {
		note: `the clipboard will be cleared in ${seconds} s`,
		cancel: () => {
			clearTimeout(timer);
			settle('cancelled');
		},
		outcome,
	};
}
