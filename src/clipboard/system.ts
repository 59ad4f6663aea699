import {withDeadline} from '../io/deadline.js';

/** The local clipboard through clipboardy (pbcopy, xsel/xclip, wl-copy, clip.exe), loaded only when used. */
export interface ClipboardAccess {
	read(): Promise<string>;
	write(text: string): Promise<void>;
}

/** A clipboard tool waiting on a display that never answers must not freeze a copy key. */
const toolTimeoutMs = 3000;

export const systemClipboard: ClipboardAccess = {
	async read() {
		const {default: clipboard} = await import('clipboardy');
		return withDeadline(clipboard.read(), toolTimeoutMs, 'The clipboard tool');
	},
	async write(text) {
		const {default: clipboard} = await import('clipboardy');
		await withDeadline(clipboard.write(text), toolTimeoutMs, 'The clipboard tool');
	},
};
