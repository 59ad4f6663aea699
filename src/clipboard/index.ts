import {TokscopeError} from '../core/errors.js';
import {isRemote, multiplexerOf} from '../core/where.js';
import {firstChoice} from './choose.js';
import type {ClipboardMode} from './options.js';
import {scheduleClipboardClear, type ClearPlan} from './clear.js';
import {describeCopy, type CopyResult} from './copy-result.js';
import {maxOsc52Base64, osc52Bytes, osc52Fits} from './osc52.js';
import {systemClipboard, type ClipboardAccess} from './system.js';
import {writeToTerminal} from './terminal.js';

export type {ClipboardMode} from './options.js';
export type {CopyResult, CopyWay} from './copy-result.js';
export {describeCopy} from './copy-result.js';
export {scheduleClipboardClear, type ClearOutcome, type ClearPlan} from './clear.js';
export type {ClipboardAccess} from './system.js';

export interface CopyOptions {
	mode: ClipboardMode;
	env?: NodeJS.ProcessEnv;
	/** Where OSC 52 bytes go; defaults to the controlling terminal, so it works even with stdout redirected. */
	write?: (bytes: string) => void;
	/** The local clipboard; clipboardy unless a test hands in another. */
	system?: ClipboardAccess;
	/** The platform whose clipboard rules apply; this machine's unless a test says otherwise. */
	platform?: NodeJS.Platform;
}

const noSystemClipboard = 'no system clipboard here';

function copyWithOsc52(text: string, env: NodeJS.ProcessEnv, write: (bytes: string) => void): CopyResult {
	if (!osc52Fits(text)) {
		throw new TokscopeError(
			'clipboard',
			`The text is too long to copy through the terminal (OSC 52 carries at most about ${Math.floor((maxOsc52Base64 * 3) / 4 / 1000)} kB).`,
		);
	}
	const wrap = multiplexerOf(env);
	write(osc52Bytes(text, wrap));
	return {way: wrap === 'none' ? 'osc52' : wrap === 'tmux' ? 'osc52-tmux' : 'osc52-screen'};
}

/** Copies text the way that reaches the user: the system clipboard locally, OSC 52 over SSH or when that fails. */
export async function copyText(text: string, options: CopyOptions): Promise<CopyResult> {
	const env = options.env ?? process.env;
	const write = options.write ?? writeToTerminal;
	if (firstChoice(options.mode, env, options.platform) === 'system') {
		try {
			await (options.system ?? systemClipboard).write(text);
			return {way: 'system'};
		} catch {
			if (options.mode === 'system')
				throw new TokscopeError(
					'clipboard',
					'The system clipboard is not available here (no display or clipboard tool); try --clipboard osc52.',
				);
			return {...copyWithOsc52(text, env, write), note: noSystemClipboard};
		}
	}
	const result = copyWithOsc52(text, env, write);
	// Chosen for want of a display rather than because the user is remote or asked for it: say so.
	return options.mode === 'auto' && !isRemote(env) ? {...result, note: noSystemClipboard} : result;
}

export interface ConfirmedCopy {
	/** One sentence for the screen or stderr: what was copied and how, never the text itself. */
	message: string;
	result: CopyResult;
	/** Present with --clear-clipboard; a one-shot command awaits `clear.outcome` so the clear happens before it exits. */
	clear?: ClearPlan;
}

/**
 * What the copy keys and `print-* --copy` call: copy, schedule the clear when asked, and say what happened, e.g.
 * "Copied the ID token to the system clipboard (the clipboard will be cleared in 30 s)."
 */
export async function copyAndConfirm(
	text: string,
	what: string,
	options: CopyOptions & {clearAfterSeconds?: number},
): Promise<ConfirmedCopy> {
	const result = await copyText(text, options);
	const clear = options.clearAfterSeconds ? scheduleClipboardClear(text, options.clearAfterSeconds, result, options.system) : undefined;
	return {message: clear ? describeCopy(what, result, clear.note) : describeCopy(what, result), result, clear};
}
