import {TokscopeError} from '../core/errors.js';
import {maxTokenBytes} from '../core/decode.js';
import {readStdin} from '../io/stdin.js';

/** Reads a token piped on stdin, refusing to wait on a terminal or to swallow megabytes. */
export async function readTokenFromStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
	if (stdin.isTTY) {
		throw new TokscopeError('No token was given and standard input is a terminal.', {hint: 'Pass the token as an argument, or pipe it in: `tokscope print-identity-token --audiences=URL | tokscope inspect -`.'});
	}
	return readStdin(stdin, maxTokenBytes * 4);
}
