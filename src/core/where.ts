// Where the user is, from the environment alone, written once: the clipboard (OSC 52 or the system's) and the
// sign-in (a browser here, or pasting the answer back) both ask here. Pure.

/** The variables sshd sets in every session it starts; they survive tmux on the far side too. */
const sshVariables = ['SSH_CONNECTION', 'SSH_TTY', 'SSH_CLIENT'] as const;

/** Which variable says the user is connected over SSH (so this machine is not the one they sit at), if any. */
export function remoteVariable(env: NodeJS.ProcessEnv): (typeof sshVariables)[number] | undefined {
	return sshVariables.find(name => env[name]);
}

export function isRemote(env: NodeJS.ProcessEnv): boolean {
	return remoteVariable(env) !== undefined;
}

/**
 * Whether a window (a browser, a system clipboard) can open here. On Linux it needs a display (X11 or Wayland) or WSL,
 * whose Windows side has both; a headless VM or container has neither. macOS and Windows always have one.
 */
export function hasDisplay(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
	if (platform !== 'linux') return true;
	return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY || env.WSL_DISTRO_NAME || env.WSL_INTEROP);
}

export type Multiplexer = 'none' | 'tmux' | 'screen';

/**
 * Which multiplexer sits between us and the terminal. TMUX and STY are set inside tmux and screen themselves.
 * TERM alone is weaker: ssh carries the local TERM across, so over SSH a `screen*` TERM usually means tmux on the
 * user's own machine (tmux's classic default-terminal), where screen's chunked DCS would cut a token short.
 */
export function multiplexerOf(env: NodeJS.ProcessEnv): Multiplexer {
	if (env.TMUX) return 'tmux';
	if (env.STY) return 'screen';
	const term = env.TERM ?? '';
	if (term.startsWith('tmux')) return 'tmux';
	if (term.startsWith('screen')) return isRemote(env) ? 'tmux' : 'screen';
	return 'none';
}
