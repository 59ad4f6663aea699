import type {Osc52Wrap} from './osc52.js';

import type {ClipboardMode} from './options.js';

/** sshd sets these in every session it starts; they survive tmux on the far side too. */
export function isRemote(env: NodeJS.ProcessEnv): boolean {
	return Boolean(env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT);
}

/**
 * Which multiplexer sits between us and the terminal. TMUX and STY are set inside tmux and screen themselves.
 * TERM alone is weaker: ssh carries the local TERM across, so over SSH a `screen*` TERM usually means tmux on the
 * user's own machine (tmux's classic default-terminal), where screen's chunked DCS would cut a token short.
 */
export function multiplexerOf(env: NodeJS.ProcessEnv): Osc52Wrap {
	if (env.TMUX) return 'tmux';
	if (env.STY) return 'screen';
	const term = env.TERM ?? '';
	if (term.startsWith('tmux')) return 'tmux';
	if (term.startsWith('screen')) return isRemote(env) ? 'tmux' : 'screen';
	return 'none';
}

/**
 * Whether a system clipboard can exist here. On Linux it needs a display (X11 or Wayland) or WSL's Windows
 * clipboard; a headless VM or container has none, and asking clipboardy there costs a failed tool spawn per copy.
 */
export function systemClipboardLikely(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
	if (platform !== 'linux') return true;
	return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY || env.WSL_DISTRO_NAME || env.WSL_INTEROP);
}

/**
 * Over SSH the local clipboard belongs to a machine the user is not sitting at, so OSC 52 carries the text
 * back to their own terminal; otherwise the system clipboard, with OSC 52 as the fallback when it fails or
 * cannot exist.
 */
export function firstChoice(mode: ClipboardMode, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): 'system' | 'osc52' {
	if (mode !== 'auto') return mode;
	return isRemote(env) || !systemClipboardLikely(env, platform) ? 'osc52' : 'system';
}
