import type {Osc52Wrap} from './osc52.js';

export type ClipboardMode = 'auto' | 'osc52' | 'system';

export function isRemote(env: NodeJS.ProcessEnv): boolean {
	return Boolean(env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT);
}

/** Inside tmux the sequence is wrapped for passthrough; inside GNU screen, as DCS chunks. */
export function multiplexerOf(env: NodeJS.ProcessEnv): Osc52Wrap {
	if (env.TMUX) return 'tmux';
	if (env.STY || env.TERM?.startsWith('screen')) return 'screen';
	return 'none';
}

/**
 * Over SSH the local clipboard belongs to a machine the user is not sitting at, so OSC 52 carries the text
 * back to their own terminal; otherwise the system clipboard, with OSC 52 as the fallback when it fails.
 */
export function firstChoice(mode: ClipboardMode, env: NodeJS.ProcessEnv): 'system' | 'osc52' {
	if (mode !== 'auto') return mode;
	return isRemote(env) ? 'osc52' : 'system';
}
