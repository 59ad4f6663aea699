import {openSync, writeSync, closeSync} from 'node:fs';
import {TokscopeError} from '../core/errors.js';
import {firstChoice, multiplexerOf, type ClipboardMode} from './choose.js';
import {osc52, osc52Fits, wrapOsc52} from './osc52.js';

export type {ClipboardMode} from './choose.js';

export type CopyWay = 'system' | 'osc52' | 'osc52-tmux' | 'osc52-screen';

export interface CopyResult {
	way: CopyWay;
	note?: string;
}

export interface CopyOptions {
	mode: ClipboardMode;
	env?: NodeJS.ProcessEnv;
	/** Where OSC 52 bytes go; defaults to the controlling terminal, so it works even with stdout redirected. */
	write?: (bytes: string) => void;
}

function writeToTerminal(bytes: string): void {
	try {
		const fd = openSync('/dev/tty', 'w');
		try {
			writeSync(fd, bytes);
		} finally {
			closeSync(fd);
		}
	} catch {
		process.stdout.write(bytes);
	}
}

async function copyWithSystem(text: string): Promise<void> {
	const {default: clipboard} = await import('clipboardy');
	await clipboard.write(text);
}

function copyWithOsc52(text: string, env: NodeJS.ProcessEnv, write: (bytes: string) => void): CopyResult {
	if (!osc52Fits(text)) throw new TokscopeError('The text is too long to copy through the terminal (OSC 52 carries about 75 kB).');
	const wrap = multiplexerOf(env);
	const sequence = osc52(text);
	// tmux with set-clipboard on takes the plain sequence into its buffer and on to the terminal; the wrapped copy
	// reaches the terminal when tmux instead allows passthrough. Either way the same text lands once per clipboard.
	write(wrap === 'tmux' ? sequence + wrapOsc52(sequence, 'tmux') : wrapOsc52(sequence, wrap));
	return {way: wrap === 'none' ? 'osc52' : wrap === 'tmux' ? 'osc52-tmux' : 'osc52-screen'};
}

/** Copies text the way that reaches the user: the system clipboard locally, OSC 52 over SSH or when that fails. */
export async function copyText(text: string, options: CopyOptions): Promise<CopyResult> {
	const env = options.env ?? process.env;
	const write = options.write ?? writeToTerminal;
	if (firstChoice(options.mode, env) === 'system') {
		try {
			await copyWithSystem(text);
			return {way: 'system'};
		} catch {
			if (options.mode === 'system') throw new TokscopeError('The system clipboard is not available here (no display or clipboard tool); try --clipboard osc52.');
			return {...copyWithOsc52(text, env, write), note: 'no system clipboard here'};
		}
	}
	return copyWithOsc52(text, env, write);
}

const wayNames: Record<CopyWay, string> = {
	system: 'to the system clipboard',
	osc52: 'via OSC 52',
	'osc52-tmux': 'via OSC 52 through tmux',
	'osc52-screen': 'via OSC 52 through screen',
};

/** "Copied the ID token via OSC 52." — never the token itself. */
export function describeCopy(what: string, result: CopyResult): string {
	return `Copied ${what} ${wayNames[result.way]}${result.note ? ` (${result.note})` : ''}.`;
}

/**
 * Clears the system clipboard after `seconds` if it still holds what we put there, as password managers do.
 * A terminal that received OSC 52 keeps its copy; we say so rather than pretend.
 */
export function scheduleClipboardClear(text: string, seconds: number, result: CopyResult): {note: string; cancel: () => void} {
	if (result.way !== 'system') return {note: 'the terminal keeps OSC 52 copies; clear it there yourself', cancel: () => {}};
	const timer = setTimeout(async () => {
		try {
			const {default: clipboard} = await import('clipboardy');
			if ((await clipboard.read()) === text) await clipboard.write('');
		} catch {
			// The clipboard went away; nothing left to clear.
		}
	}, seconds * 1000);
	timer.unref();
	return {note: `the clipboard will be cleared in ${seconds} s`, cancel: () => clearTimeout(timer)};
}
