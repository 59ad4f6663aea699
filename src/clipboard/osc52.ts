import type {Multiplexer} from '../core/where.js';

const ESC = '\u001B';
const BEL = '\u0007';
/** String Terminator: ends the DCS strings that tmux and screen pass through. */
const ST = `${ESC}\\`;

/** Most terminals accept OSC 52 payloads up to about 100 kB of base64; tokens are a few kB. */
export const maxOsc52Base64 = 100_000;
/** GNU screen passes at most this many bytes per DCS string, so longer sequences are split. */
export const screenChunk = 768;

/** The multiplexer to wrap the sequence for (core/where's multiplexerOf). */
export type Osc52Wrap = Multiplexer;

/** OSC 52 "set clipboard" (c = the clipboard selection), terminated by BEL as most terminals expect. */
export function osc52(text: string): string {
	return `${ESC}]52;c;${Buffer.from(text, 'utf8').toString('base64')}${BEL}`;
}

/** Wraps the sequence so tmux or screen pass it to the outer terminal instead of swallowing it. */
export function wrapOsc52(sequence: string, wrap: Osc52Wrap): string {
	if (wrap === 'tmux') return `${ESC}Ptmux;${sequence.replaceAll(ESC, ESC + ESC)}${ST}`;
	if (wrap === 'screen') {
		// Each chunk is its own DCS string; screen emits their contents back to back, rebuilding the sequence outside.
		const chunks: string[] = [];
		for (let index = 0; index < sequence.length; index += screenChunk)
			chunks.push(`${ESC}P${sequence.slice(index, index + screenChunk)}${ST}`);
		return chunks.join('');
	}
	return sequence;
}

/**
 * The exact bytes to write for one copy. Inside tmux both forms go out: with `set-clipboard on` tmux takes the plain
 * sequence into its buffer and on to the terminal; with `allow-passthrough on` the wrapped one reaches the terminal.
 * Whichever tmux lets through, the same text lands on the clipboard.
 */
export function osc52Bytes(text: string, wrap: Osc52Wrap): string {
	const sequence = osc52(text);
	return wrap === 'tmux' ? sequence + wrapOsc52(sequence, 'tmux') : wrapOsc52(sequence, wrap);
}

export function osc52Fits(text: string): boolean {
	return Math.ceil(Buffer.byteLength(text, 'utf8') / 3) * 4 <= maxOsc52Base64;
}
