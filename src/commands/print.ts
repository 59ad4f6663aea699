import {terminalSafe} from '../core/terminal-safe.js';
import {expectTokenShape} from '../core/token-shape.js';
import type {RawToken} from '../core/types.js';
import {createSource, sourceEntry} from '../sources/index.js';
import type {SourceOptions, TokenSource} from '../sources/types.js';

type ClipboardMode = 'auto' | 'osc52' | 'system';

interface Delivery {
	copy: boolean;
	clipboard: ClipboardMode;
	clearClipboardSeconds?: number;
}

/** Prints the token and a newline, nothing else, so `$(tokscope print-…)` works in scripts; or copies it instead. */
async function deliver(raw: RawToken, what: string, delivery: Delivery, source: TokenSource): Promise<number> {
	// Not trusting the source: only a token-shaped string (nothing a terminal or a shell acts on) is printed or copied.
	expectTokenShape(raw.token, raw.type, `The ${source.id} source`);
	if (!delivery.copy) {
		process.stdout.write(`${raw.token}\n`);
		return 0;
	}
	const {copyAndConfirm} = await import('../clipboard/index.js');
	const copied = await copyAndConfirm(raw.token, what, {mode: delivery.clipboard, clearAfterSeconds: delivery.clearClipboardSeconds});
	if (copied.clear && copied.result.way === 'system') {
		// We exit now; a background tokscope keeps the promise the message makes.
		copied.clear.cancel();
		const {clearInBackground} = await import('../clipboard/clear-later.js');
		await clearInBackground(raw.token, delivery.clearClipboardSeconds ?? 0);
	}
	process.stderr.write(`${copied.message}\n`);
	return 0;
}

/** Warnings (a token_uri away from Google, self-impersonation) go to stderr before anything is sent. */
async function warnFirst(source: TokenSource): Promise<TokenSource> {
	if (sourceEntry(source.id).describeFirst) {
		const {warnings} = await source.describe();
		for (const warning of warnings) process.stderr.write(`tokscope: warning: ${terminalSafe(warning)}\n`);
	}
	return source;
}

export async function printAccessToken(options: {source: SourceOptions; scopes?: string[]} & Delivery): Promise<number> {
	const source = await warnFirst(createSource(options.source));
	const raw = await source.accessToken({scopes: options.scopes});
	return deliver(raw, 'the access token', options, source);
}

export async function printIdentityToken(
	options: {source: SourceOptions; audience: string; includeEmail: boolean; format: 'standard' | 'full'; includeLicenses: boolean} & Delivery,
): Promise<number> {
	const source = await warnFirst(createSource(options.source));
	const raw = await source.idToken({
		audience: options.audience,
		includeEmail: options.includeEmail,
		format: options.format,
		includeLicenses: options.includeLicenses,
	});
	return deliver(raw, 'the ID token', options, source);
}
