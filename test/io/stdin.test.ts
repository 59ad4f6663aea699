import {PassThrough, Readable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {readStdin} from '../../src/io/stdin.js';

describe('readStdin', () => {
	it('reads everything piped in', async () => {
		const pipe = new PassThrough();
		pipe.end('ya29.abc\n');
		expect(await readStdin(pipe)).toBe('ya29.abc\n');
	});

	it('stops an endless input at the limit with one sentence, and destroys the stream', async () => {
		let chunks = 0;
		// Endless as far as the reader knows; bounded at 10,000 chunks (160 MiB) all the same.
		const endless = new Readable({read: () => void endless.push(++chunks > 10_000 ? null : Buffer.alloc(16 * 1024))});
		await expect(readStdin(endless, 64 * 1024)).rejects.toThrow('Standard input holds more than 64 KiB; reading stopped there.');
		expect(endless.destroyed).toBe(true);
		expect(chunks).toBeLessThan(100);
	});
});
