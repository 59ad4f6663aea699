import {TokscopeError} from '../core/errors.js';
import {terminalSafe, terminalSafeJson} from '../core/terminal-safe.js';
import {expectTokenShape} from '../core/token-shape.js';
import type {RawToken} from '../core/types.js';
import type {ClipboardMode} from '../clipboard/options.js';
import {writeOut} from '../io/stdout.js';
import type {Terminal} from '../io/terminal.js';
import {createSource, sourceEntry} from '../sources/index.js';
import type {IdTokenFormat, SourceOptions, TokenSource} from '../sources/types.js';
import {maxLifetimeSeconds, type PrintFormat} from './print-options.js';

interface Delivery {
	copy: boolean;
	clipboard: ClipboardMode;
	clearClipboardSeconds?: number;
	/** --format: default `token`. */
	output?: PrintFormat;
}

/** Prints the token as asked, nothing else, so `$(tokscope print-…)` works in scripts; or copies it instead. */
async function deliver(raw: RawToken, what: string, delivery: Delivery, source: TokenSource, terminal: Terminal): Promise<number> {
	// Not trusting the source: only a token-shaped string (nothing a terminal or a shell acts on) is printed or copied.
	expectTokenShape(raw.token, raw.type, `The ${source.id} source`);
	const text = await formatted(raw, delivery.output ?? 'token', source);
	if (!delivery.copy) {
		await writeOut(`${text}\n`, what, terminal.stdout);
		return 0;
	}
	const [{copyAndConfirm}, {writeToTerminal}] = await Promise.all([import('../clipboard/index.js'), import('../clipboard/terminal.js')]);
	const copied = await copyAndConfirm(text, what, {
		mode: delivery.clipboard,
		clearAfterSeconds: delivery.clearClipboardSeconds,
		env: terminal.env,
		write: bytes => writeToTerminal(bytes, terminal.stdout),
	});
	if (copied.clear && copied.result.way === 'system') {
		// We exit now; a background tokscope keeps the promise the message makes.
		copied.clear.cancel();
		const {clearInBackground} = await import('../clipboard/clear-later.js');
		await clearInBackground(text, delivery.clearClipboardSeconds ?? 0);
	}
	terminal.stderr.write(`${copied.message}\n`);
	return 0;
}

async function formatted(raw: RawToken, format: PrintFormat, source: TokenSource): Promise<string> {
	if (format === 'token') return raw.token;
	if (format === 'header') return `Authorization: Bearer ${raw.token}`;
	return terminalSafeJson(await tokenJson(raw, source));
}

/** DESIGN's `{token, kind, expiresAt, principal, audience?, scopes?}`: kind and times as `inspect --json` names them. */
export async function tokenJson(raw: RawToken, source: Pick<TokenSource, 'describe'>): Promise<Record<string, unknown>> {
	const {decodeToken} = await import('../core/decode.js');
	const view = decodeToken(raw.token);
	const claims = view.claims ?? {};
	const expiresAt = view.expiresAt ?? raw.expiresAt ?? null;
	// Asked after the token: a user credential learns its email from the refresh that minted it.
	const described = await source.describe().catch(() => undefined);
	const email = typeof claims.email === 'string' ? claims.email : undefined;
	const audience = raw.type === 'id' ? (claims.aud ?? raw.audience ?? null) : undefined;
	return {
		token: raw.token,
		kind: view.kind,
		expiresAt: expiresAt?.toISOString() ?? null,
		principal: described?.principal ?? email ?? null,
		...(audience !== undefined ? {audience} : {}),
		...(raw.type === 'access' && raw.scopes ? {scopes: raw.scopes} : {}),
	};
}

/** Warnings (a token_uri away from Google, self-impersonation) go to stderr before anything is sent. */
async function warnFirst(options: SourceOptions, terminal: Terminal): Promise<TokenSource> {
	const source = createSource({...options, env: options.env ?? terminal.env});
	if (sourceEntry(source.id).describeFirst) {
		const {warnings} = await source.describe();
		for (const warning of warnings) terminal.stderr.write(`tokscope: warning: ${terminalSafe(warning)}\n`);
	}
	return source;
}

export async function printAccessToken(
	options: {source: SourceOptions; scopes?: string[]; lifetimeSeconds?: number; subject?: string} & Delivery,
	terminal: Terminal,
): Promise<number> {
	const lifetime = options.lifetimeSeconds;
	if (lifetime !== undefined) checkLifetime(lifetime, options.source);
	const source = await warnFirst(options.source, terminal);
	const raw = await source.accessToken({
		scopes: options.scopes,
		...(lifetime !== undefined ? {lifetimeSeconds: lifetime} : {}),
		...(options.subject !== undefined ? {subject: options.subject} : {}),
	});
	return deliver(raw, 'the access token', options, source, terminal);
}

/** gcloud's rule for --lifetime: impersonation only, whole seconds, at most 12 hours. */
function checkLifetime(seconds: number, source: SourceOptions): void {
	if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxLifetimeSeconds) {
		throw new TokscopeError(
			'usage',
			`--lifetime takes whole seconds from 1 to ${maxLifetimeSeconds} (12 hours, IAM’s ceiling), not ${seconds}.`,
		);
	}
	if (!sourceEntry(source.source).choosesLifetime) {
		const sentence = '--lifetime applies to impersonated service accounts only (as in gcloud): add --impersonate-service-account SA.';
		throw new TokscopeError('usage', sentence, {hint: 'Other access tokens live as long as their issuer decides, usually one hour.'});
	}
}

export async function printIdentityToken(
	options: {
		source: SourceOptions;
		audience?: string;
		includeEmail: boolean;
		format?: IdTokenFormat;
		includeLicenses: boolean;
	} & Delivery,
	terminal: Terminal,
): Promise<number> {
	const source = await warnFirst(options.source, terminal);
	const raw = await source.idToken({
		audience: options.audience ?? '',
		useDefaultAudience: !options.audience,
		includeEmail: options.includeEmail,
		format: options.format,
		includeLicenses: options.includeLicenses,
	});
	if (!options.audience) await sayDefaultAudience(raw, terminal.stderr);
	return deliver(raw, 'the ID token', options, source, terminal);
}

/** Without --audiences the token is for whatever the source chose; one line on stderr says what, and what that means. */
async function sayDefaultAudience(raw: RawToken, stderr: NodeJS.WritableStream): Promise<void> {
	const {decodeToken} = await import('../core/decode.js');
	const aud = decodeToken(raw.token).claims?.aud;
	const audience = terminalSafe(Array.isArray(aud) ? aud.join(', ') : typeof aud === 'string' ? aud : (raw.audience ?? 'unknown'));
	stderr.write(
		`tokscope: no --audiences given, so the token's audience is ${audience} (the source's default, as gcloud does); ` +
			`a Cloud Run service rejects it unless the audience is that service's URL.\n`,
	);
}
