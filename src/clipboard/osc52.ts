const ESC = '\u001B';
const BEL = '\u0007';

/** Most terminals accept OSC 52 payloads up to about 100 kB of base64; tokens are a few kB. */
export const maxOsc52Base64 = 100_000;
/** GNU screen passes at most this many bytes per DCS string, so longer sequences are split. */
const screenChunk = 768;

export type Osc52Wrap = 'none' | 'tmux' | 'screen';

/** OSC 52 "set clipboard" (c = the clipboard selection), terminated by BEL as most terminals expect. */
export function osc52(text: string): string {
	return `${ESC}]52;c;${Buffer.from(text, 'utf8').toString('base64')}${BEL}`;
}

/** Wraps the sequence so tmux or screen pass it to the outer terminal instead of swallowing it. */
export function wrapOsc52(sequence: string, wrap: Osc52Wrap): string {
	if (wrap === 'tmux') return `${ESC}Ptmux;${sequence.replaceAll(ESC, ESC + ESC)}${ESC}\\`;
	if (wrap === 'screen') {
		const chunks: string[] = [];
		for (let index = 0; index < sequence.length; index += screenChunk) chunks.push(`${ESC}P${sequence.slice(index, index + screenChunk)}${ESC}\\`);
		return chunks.join('');
	}
	return sequence;
}

export function osc52Fits(text: string): boolean {
	return Math.ceil(Buffer.byteLength(text, 'utf8') / 3) * 4 <= maxOsc52Base64;
}
