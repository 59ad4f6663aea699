import {TokscopeError} from '../core/errors.js';
import {maxTokenBytes} from '../core/decode.js';

/** Reads a token piped on stdin, refusing to wait on a terminal or to swallow megabytes. */
export async function readTokenFromStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
	if (stdin.isTTY) {
		throw new TokscopeError('No token was given and standard input is a terminal.', {hint: 'Pass the token as an argument, or pipe it in: `tokscope print-identity-token --audiences=URL | tokscope inspect -`.'});
	}
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stdin as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maxTokenBytes * 4) {
			stdin.destroy();
			throw new TokscopeError(`Standard input holds more than ${(maxTokenBytes * 4) / 1024} KiB, far larger than any token, so it was not decoded.`);
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}
