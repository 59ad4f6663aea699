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
	write(wrapOsc52(osc52(text), wrap));
	return {
		way: wrap === 'none' ? 'osc52' : wrap === 'tmux' ? 'osc52-tmux' : 'osc52-screen',
		note: wrap === 'tmux' ? 'needs `set -g set-clipboard on` in tmux' : undefined,
	};
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
			return {...copyWithOsc52(text, env, write), note: 'no system clipboard here, so it went through the terminal (OSC 52)'};
		}
	}
	return copyWithOsc52(text, env, write);
}

const wayNames: Record<CopyWay, string> = {
	system: 'the system clipboard',
	osc52: 'your terminal (OSC 52)',
	'osc52-tmux': 'your terminal through tmux (OSC 52)',
	'osc52-screen': 'your terminal through screen (OSC 52)',
};

/** "Copied the ID token to your terminal (OSC 52)." — never the token itself. */
export function describeCopy(what: string, result: CopyResult): string {
	return `Copied ${what} to ${wayNames[result.way]}${result.note ? ` — ${result.note}` : ''}.`;
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
