import {TokscopeError} from '../core/errors.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {readUserFile} from '../io/file.js';
import {readStdin} from '../io/stdin.js';
import {readPasted} from './read-input.js';
import type {Terminal} from '../io/terminal.js';

// inspect's own inputs beyond the token: the instant to judge times at, and a shared secret from wherever it is safe.

/**
 * `--at`: an RFC 3339 instant (2011-03-22T18:43:00Z, with an offset or fractional seconds) or Unix seconds. A date
 * without a time or offset is refused: "was it valid at 14:02?" must not depend on this machine's time zone.
 */
export function parseInstant(text: string): Date {
	const value = text.trim();
	if (/^-?\d+(\.\d+)?$/.test(value)) return checked(new Date(Number(value) * 1000), text);
	const rfc3339 = /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/;
	if (!rfc3339.test(value)) {
		const shown = terminalSafe(text).slice(0, 80);
		throw new TokscopeError(
			'usage',
			`--at takes an RFC 3339 instant such as 2011-03-22T18:43:00Z (with Z or an offset) or Unix seconds, not "${shown}".`,
		);
	}
	return checked(new Date(value.replace(' ', 'T')), text);
}

function checked(date: Date, text: string): Date {
	if (Number.isNaN(date.getTime()))
		throw new TokscopeError('usage', `--at "${terminalSafe(text).slice(0, 80)}" is not a time that exists.`);
	return date;
}

export type SecretEncoding = 'utf8' | 'base64';

export interface SecretOptions {
	/** --secret: on the command line, so visible in the process list (the help says so). */
	secret?: string;
	/** --secret-file: a regular file, or - for standard input. */
	secretFile?: string;
	secretEncoding?: SecretEncoding;
	/** Whether the token itself is read from standard input (then the secret cannot be). */
	tokenFromStdin?: boolean;
}

/** Secrets are short; anything bigger than this is not one. */
const maxSecretBytes = 64 * 1024;

/** The shared secret as bytes, from --secret or --secret-file, decoded as --secret-encoding says; undefined when none was given. */
export async function readSecret(
	options: SecretOptions,
	{stdin, stderr}: Pick<Terminal, 'stdin' | 'stderr'>,
): Promise<Uint8Array | undefined> {
	if (options.secret !== undefined && options.secretFile !== undefined) {
		throw new TokscopeError('usage', 'Give the secret once: --secret or --secret-file, not both.');
	}
	let text: string;
	if (options.secret !== undefined) {
		text = options.secret;
	} else if (options.secretFile === '-') {
		if (options.tokenFromStdin) {
			throw new TokscopeError(
				'usage',
				'Standard input cannot carry both the token and the secret: give the token as an argument, or the secret in a file.',
			);
		}
		const read = stdin.isTTY ? readPasted(stdin, stderr, 'the secret') : readStdin(stdin, maxSecretBytes, 'The secret on standard input');
		text = stripNewline(await read);
	} else if (options.secretFile !== undefined) {
		text = stripNewline(await readUserFile(options.secretFile, {what: 'The secret file', maxBytes: maxSecretBytes}));
	} else {
		return undefined;
	}
	if (text.length === 0) throw new TokscopeError('usage', 'The secret is empty.');
	return options.secretEncoding === 'base64' ? base64Secret(text) : new TextEncoder().encode(text);
}

/** `echo secret > file` adds a newline that is not part of the secret; one trailing line break is dropped, nothing more. */
function stripNewline(text: string): string {
	return text.replace(/\r?\n$/, '');
}

/** jwt.io's "secret base64 encoded": standard or URL-safe alphabet, padding optional; whitespace (a wrapped line) ignored. */
function base64Secret(text: string): Uint8Array {
	const compact = text.replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
		throw new TokscopeError(
			'usage',
			'The secret is not base64 (--secret-encoding base64): it holds characters outside the base64 alphabets or has a bad length.',
		);
	}
	return new Uint8Array(Buffer.from(compact, 'base64'));
}
