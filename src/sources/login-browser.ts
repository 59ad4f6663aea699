import {hasDisplay, remoteVariable} from '../core/where.js';
import {withDeadline} from '../io/deadline.js';

// Which way the browser's answer comes back, and opening the browser when it can open here.

export type SignInWay = 'browser' | 'paste';

/** Whether a browser can open where tokscope runs, and the reason in words (shown with the URL). */
export function chooseWay(
	forced: SignInWay | undefined,
	env: NodeJS.ProcessEnv,
	platform: NodeJS.Platform = process.platform,
): {way: SignInWay; why: string} {
	if (forced === 'browser') return {way: 'browser', why: '--browser was given'};
	if (forced === 'paste') return {way: 'paste', why: '--no-browser was given'};
	const remote = remoteVariable(env);
	if (remote) {
		return {way: 'paste', why: `you are connected over SSH (${remote} is set), so a browser here would open on the wrong machine`};
	}
	if (!hasDisplay(env, platform)) {
		return {way: 'paste', why: 'there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set)'};
	}
	return {way: 'browser', why: 'a browser can open on this machine'};
}

/** Asks a browser to open the URL: true once asked, false when it could not be (within 5 s); never rejects. */
export function askBrowser(url: string, openBrowser: (url: string) => Promise<unknown> = openInBrowser): Promise<boolean> {
	return withDeadline(openBrowser(url), 5000, 'The browser')
		.then(() => true)
		.catch(() => false);
}

/** `open` starts the system's opener detached and never waits for the browser; a missing opener is a rejection. */
async function openInBrowser(url: string): Promise<unknown> {
	const {default: open} = await import('open');
	const child = await open(url, {wait: false});
	// An opener that fails later (xdg-open with nothing to open with) must not reach the terminal or the process.
	child.on('error', () => {});
	return child;
}
