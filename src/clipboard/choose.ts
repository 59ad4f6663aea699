import {hasDisplay, isRemote} from '../core/where.js';

import type {ClipboardMode} from './options.js';

/**
 * Over SSH the local clipboard belongs to a machine the user is not sitting at, so OSC 52 carries the text
 * back to their own terminal; otherwise the system clipboard, with OSC 52 as the fallback when it fails or
 * cannot exist (no display: asking clipboardy there costs a failed tool spawn per copy).
 */
export function firstChoice(mode: ClipboardMode, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): 'system' | 'osc52' {
	if (mode !== 'auto') return mode;
	return isRemote(env) || !hasDisplay(env, platform) ? 'osc52' : 'system';
}
