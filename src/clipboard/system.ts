/** The local clipboard through clipboardy (pbcopy, xsel/xclip, wl-copy, clip.exe), loaded only when used. */
export interface ClipboardAccess {
	read(): Promise<string>;
	write(text: string): Promise<void>;
}

/** A clipboard tool waiting on a display that never answers must not freeze a copy key. */
const toolTimeoutMs = 3000;

function withDeadline<T>(work: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, fail) => {
		timer = setTimeout(() => fail(new Error('the clipboard tool did not answer in time')), toolTimeoutMs);
	});
	return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export const systemClipboard: ClipboardAccess = {
	async read() {
		const {default: clipboard} = await import('clipboardy');
		return withDeadline(clipboard.read());
	},
	async write(text) {
		const {default: clipboard} = await import('clipboardy');
		await withDeadline(clipboard.write(text));
	},
};
