import {TokscopeError} from '../core/errors.js';
import {formatBytes} from './http.js';

/**
 * Reads everything piped on standard input, up to `maxBytes`: past it the stream is destroyed and one sentence says so,
 * so a `cat /dev/zero |` cannot fill memory. A terminal on stdin is the caller's to handle (what to say depends on
 * what it wanted); this never checks isTTY, so call it only on a pipe or file.
 */
export async function readStdin(
	stdin: NodeJS.ReadableStream & {destroy?(): void} = process.stdin,
	maxBytes = 256 * 1024,
	what = 'Standard input',
): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		size += bytes.length;
		if (size > maxBytes) {
			stdin.destroy?.();
			throw new TokscopeError('too-big', `${what} holds more than ${formatBytes(maxBytes)}; reading stopped there.`);
		}
		chunks.push(bytes);
	}
	return Buffer.concat(chunks).toString('utf8');
}
