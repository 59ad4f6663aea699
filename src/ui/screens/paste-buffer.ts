import {maxTokenBytes} from '../../core/decode.js';
import {formatBytes} from '../../io/http.js';

/** The most the paste field keeps: as much as a piped token may hold (paste.ts), four times the longest token read. */
export const maxPasteChars = maxTokenBytes * 4;

/**
 * What was pasted or typed into the paste field, kept as the pieces it arrived in: appending a piece costs its own
 * length, whatever came before (a field that rebuilt and redrew the whole text on every read took 1.5 s for 64 KiB
 * and froze at 256 KiB), and what is shown is read from the first and last pieces. Past `maxPasteChars` the rest is
 * counted, not kept.
 */
export class PasteBuffer {
	#pieces: string[] = [];
	/** Characters kept. */
	length = 0;
	/** Characters that arrived past the limit and were dropped. */
	refused = 0;

	append(text: string): void {
		const room = maxPasteChars - this.length;
		const kept = text.length <= room ? text : text.slice(0, room);
		this.refused += text.length - kept.length;
		if (!kept) return;
		this.#pieces.push(kept);
		this.length += kept.length;
	}

	/** Backspace: the last character typed or pasted. */
	removeLast(): void {
		const last = this.#pieces.pop();
		if (last === undefined) return;
		const shorter = [...last].slice(0, -1).join('');
		this.length -= last.length - shorter.length;
		if (shorter) this.#pieces.push(shorter);
	}

	/** ctrl-u: everything, and the count of what was refused. */
	clear(): void {
		this.#pieces = [];
		this.length = 0;
		this.refused = 0;
	}

	/** The whole text, joined once. */
	text(): string {
		const joined = this.#pieces.join('');
		this.#pieces = joined ? [joined] : [];
		return joined;
	}

	/** Up to `count` characters from the start. */
	head(count: number): string {
		let text = '';
		for (const piece of this.#pieces) {
			if (text.length >= count) break;
			text += piece.slice(0, count - text.length);
		}
		return text;
	}

	/** Up to `count` characters from the end. */
	tail(count: number): string {
		let text = '';
		for (let index = this.#pieces.length - 1; index >= 0 && text.length < count; index--) {
			text = this.#pieces[index]!.slice(-(count - text.length)) + text;
		}
		return text;
	}
}

/** How the field names what it holds: the count, and the text itself when short, else its start and end. */
export function pasteSummary(buffer: PasteBuffer): {held: string; preview: {start: string; end?: string}; refused?: string} {
	const held = `pasted ${buffer.length.toLocaleString('en-US')} character${buffer.length === 1 ? '' : 's'}`;
	const preview = buffer.length <= 48 ? {start: buffer.head(48)} : {start: buffer.head(24), end: buffer.tail(16)};
	const refused =
		buffer.refused > 0
			? `only the first ${formatBytes(maxPasteChars)} were kept; ${buffer.refused.toLocaleString('en-US')} more characters ` +
				'were refused (no token is that long)'
			: undefined;
	return {held, preview, refused};
}
