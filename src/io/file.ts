import {constants, type Stats} from 'node:fs';
import {open, type FileHandle} from 'node:fs/promises';
import {TokscopeError} from '../core/errors.js';
import {formatBytes} from './http.js';

/** Every file a user names (a key, a credential) is a few KiB; this is far beyond any of them. */
export const maxUserFileBytes = 1_048_576;

export interface UserFileOptions {
	/** How sentences name the file, before its path: "The key file", "The credential file". */
	what?: string;
	maxBytes?: number;
}

/**
 * Reads a file the user named, as UTF-8 text. Only a regular file of at most `maxBytes` is read: a FIFO with no writer
 * would block for ever and /dev/urandom never ends, so the file is opened without blocking and checked with fstat on
 * that same handle (no window in which the path could be swapped) before a byte is read. Each failure is one sentence
 * naming the file.
 */
export async function readUserFile(path: string, options: UserFileOptions = {}): Promise<string> {
	const what = `${options.what ?? 'The file'} ${path}`;
	const maxBytes = options.maxBytes ?? maxUserFileBytes;
	let handle: FileHandle;
	try {
		// O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; it changes nothing for a regular file.
		handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
	} catch (error) {
		throw new TokscopeError('file', openFailure(what, (error as NodeJS.ErrnoException).code));
	}
	try {
		const stats = await handle.stat();
		if (!stats.isFile()) throw new TokscopeError('file', `${what} is not a regular file (it is ${kindOf(stats)}), so it was not read.`);
		const tooBig = `${what} holds more than ${formatBytes(maxBytes)}, far more than it should, so it was not read.`;
		if (stats.size > maxBytes) throw new TokscopeError('file', tooBig);
		// The size can lie (files under /proc say 0, a file can grow): read at most one byte past the limit to know.
		const buffer = Buffer.alloc(maxBytes + 1);
		let length = 0;
		for (let read = -1; read !== 0 && length < buffer.length; length += read) {
			({bytesRead: read} = await handle.read(buffer, length, buffer.length - length, length));
		}
		if (length > maxBytes) throw new TokscopeError('file', tooBig);
		return buffer.subarray(0, length).toString('utf8');
	} catch (error) {
		if (error instanceof TokscopeError) throw error;
		throw new TokscopeError('file', openFailure(what, (error as NodeJS.ErrnoException).code));
	} finally {
		await handle.close().catch(() => undefined);
	}
}

function openFailure(what: string, code: string | undefined): string {
	if (code === 'ENOENT') return `${what} does not exist.`;
	if (code === 'EACCES' || code === 'EPERM') return `${what} cannot be read: permission denied.`;
	if (code === 'EISDIR') return `${what} is not a regular file (it is a directory), so it was not read.`;
	if (code === 'ENOTDIR') return `${what} does not exist (a part of its path is not a directory).`;
	return `${what} cannot be read (${code ?? 'unknown error'}).`;
}

/** What a path that is not a regular file is, in words: "a named pipe (FIFO)". */
export function kindOf(stats: Stats): string {
	if (stats.isDirectory()) return 'a directory';
	if (stats.isFIFO()) return 'a named pipe (FIFO)';
	if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
	if (stats.isSocket()) return 'a socket';
	return 'a special file';
}
