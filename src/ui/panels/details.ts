import {kindLabel} from '../../core/decode.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {formatDuration, formatLocalTime, formatTime} from '../../core/times.js';
import type {SourceInfo} from '../../sources/types.js';
import type {TokenType} from '../../core/types.js';
import type {RefreshEvent, SessionError, Slot} from '../../session/state.js';
import type {TokenInfo} from '../../verify/tokeninfo.js';
import type {Meaning} from '../theme.js';

// What the panes say, as lines of text: pure, so what a user reads is tested without Ink. Pane.tsx wraps and draws
// them; nothing here is cut, since a pane scrolls.

export interface PaneLine {
	text: string;
	meaning?: Meaning;
	bold?: boolean;
	/** Continuation lines start this many columns in. */
	indent?: number;
	/** The text's first this many characters (a table row's label and its padding) stay as they are; the rest wraps beside them. */
	hang?: number;
}

const heading = (text: string): PaneLine => ({text, bold: true});
const blank: PaneLine = {text: ''};
const safe = (text: string) => terminalSafe(text);
/** A value from a token as written: text as it is, anything else (a hostile header's object) as its JSON. */
const shownValue = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export type TokenInfoState =
	| {status: 'idle'}
	| {status: 'asking'; token: string}
	| {status: 'answered'; token: string; info: TokenInfo}
	| {status: 'failed'; token: string; error: string};

export interface DetailsInput {
	type: TokenType;
	slot: Slot;
	info?: SourceInfo;
	infoError?: string;
	/** Asking tokeninfo is possible (a service was given). */
	canAskTokenInfo: boolean;
	tokenInfo: TokenInfoState;
	warnings: string[];
	now: Date;
	refreshes: boolean;
}

/** The details pane: the full error and its fix, who is calling and how, the token's header, and tokeninfo. */
export function detailsLines(input: DetailsInput): PaneLine[] {
	const {slot, type, now} = input;
	const lines: PaneLine[] = [];
	if (slot.status === 'failed' || slot.status === 'stale') {
		lines.push(heading(slot.status === 'stale' ? 'The last refresh failed (the token below is stale)' : 'No token: the fetch failed'));
		lines.push(...errorLines(slot.error, input.refreshes, slot.retryAt, 'at its time'), blank);
	}
	if (input.warnings.length) {
		lines.push(heading('Warnings'));
		for (const warning of input.warnings) lines.push({text: `⚠ ${safe(warning)}`, meaning: 'warning', indent: 2});
		lines.push(blank);
	}
	lines.push(...callerLines(input.info, input.infoError), blank);
	const token = slot.status === 'ready' || slot.status === 'stale' ? slot : undefined;
	if (token) {
		const {view, raw} = token;
		lines.push(heading(`The ${type === 'id' ? 'ID' : 'access'} token`));
		lines.push({text: `kind: ${kindLabel(view.kind)}`, indent: 2});
		if (view.header) {
			const header = view.header;
			const field = (name: string, meaning: string) =>
				header[name] === undefined ? [] : [{text: `${name}: ${safe(shownValue(header[name]))} — ${meaning}`, indent: 4}];
			lines.push({text: 'header:', indent: 2});
			lines.push(
				...field('alg', 'the signature algorithm (RS256: an RSA key; a verifier must insist on it)'),
				...field('kid', 'which of the issuer’s published keys signed it'),
				...field('typ', 'the token type'),
			);
		} else {
			lines.push({text: 'header: none — an opaque token is not a JWT; only its issuer can say what it is', indent: 2});
		}
		lines.push({text: `signature: ${view.verification.status} — ${safe(view.verification.reason)}`, indent: 2});
		if (view.expiresAt) lines.push({text: `expires: ${formatTime(view.expiresAt, now)}`, indent: 2});
		const when = formatLocalTime(raw.fetchedAt);
		lines.push({text: input.refreshes ? `fetched: ${when} in ${raw.latencyMs} ms` : `pasted: ${when}`, indent: 2});
		if (raw.scopes?.length) lines.push({text: `scopes asked: ${raw.scopes.map(safe).join(' ')}`, indent: 2});
		for (const note of raw.notes ?? []) lines.push({text: safe(note), indent: 2});
		lines.push(blank);
		lines.push(...tokenInfoLines(type, input.canAskTokenInfo, input.tokenInfo, raw.token, now));
	}
	return lines;
}

/**
 * An error in full: its sentence, its hint, and whether it is retried. When the next try is is said once on a screen:
 * the live view's countdown counts down to it (`retry: 'counted above'`), the details pane, where nothing ticks, gives
 * its clock time.
 */
export function errorLines(
	error: SessionError,
	refreshes: boolean,
	retryAt: Date | undefined,
	retry: 'counted above' | 'at its time',
): PaneLine[] {
	const lines: PaneLine[] = [{text: error.message, meaning: 'error', indent: 2}];
	if (error.hint) lines.push({text: error.hint, indent: 2});
	if (!refreshes) return lines;
	if (retryAt) {
		const when = retry === 'at its time' ? `at ${formatLocalTime(retryAt).slice(11)}` : '(counted down above)';
		lines.push({text: `This can pass by itself: it will be tried again ${when}, backing off.`, meaning: 'muted', indent: 2});
	} else if (error.retryable) {
		lines.push({text: 'Auto-refresh is off: press r to try again (a turns it back on).', meaning: 'muted', indent: 2});
	} else {
		lines.push({text: 'This will not pass by itself, so it is not retried: fix it, then press r.', meaning: 'muted', indent: 2});
	}
	return lines;
}

function callerLines(info: SourceInfo | undefined, infoError: string | undefined): PaneLine[] {
	const lines: PaneLine[] = [heading('Who is calling, and how')];
	if (!info) {
		const text = infoError ? `The source could not be described: ${safe(infoError)}` : 'Still asking the source…';
		lines.push({text, meaning: infoError ? 'error' : 'muted', indent: 2});
		return lines;
	}
	const row = (label: string, value: string | undefined) => (value ? [{text: `${label}: ${safe(value)}`, indent: 4}] : []);
	lines.push(
		...row('principal', info.principal ?? 'unknown (the source does not say)'),
		...row('caller', info.caller),
		...row('project', info.projectId),
		...row('from', info.origin),
		...row('file type', info.credentialType),
	);
	for (const detail of info.details) lines.push({text: safe(detail), indent: 4});
	if (info.idTokens !== true) lines.push({text: `ID tokens: ${safe(info.idTokens)}`, meaning: 'warning', indent: 4});
	return lines;
}

function tokenInfoLines(type: TokenType, canAsk: boolean, state: TokenInfoState, token: string, now: Date): PaneLine[] {
	const lines: PaneLine[] = [heading('tokeninfo')];
	if (type === 'id') {
		const text = 'An ID token is checked by its signature (above), not by tokeninfo: anyone can read its claims.';
		lines.push({text, meaning: 'muted', indent: 2});
		return lines;
	}
	if (!canAsk) {
		lines.push({text: 'Not available here.', meaning: 'muted', indent: 2});
		return lines;
	}
	if (state.status === 'idle' || state.token !== token) {
		lines.push({
			text: 'Press t to ask tokeninfo what this access token grants (this sends the token to it).',
			meaning: 'accent',
			indent: 2,
		});
		return lines;
	}
	if (state.status === 'asking') return [...lines, {text: 'asking…', meaning: 'muted', indent: 2}];
	if (state.status === 'failed') return [...lines, {text: state.error, meaning: 'error', indent: 2}];
	return [...lines, ...explainTokenInfo(state.info, now)];
}

/** tokeninfo's JSON in words: what the token may do, for whom, until when. */
export function explainTokenInfo(info: TokenInfo, now: Date): PaneLine[] {
	const fields = info.fields;
	const text = (name: string) => {
		const value = fields[name];
		return typeof value === 'string' || typeof value === 'number' ? safe(String(value)) : undefined;
	};
	const lines: PaneLine[] = [{text: `asked ${safe(info.endpoint)}`, meaning: 'muted', indent: 2}];
	const error = text('error') ?? text('error_description');
	if (error) {
		const sentence = `tokeninfo does not accept this token (${error}): it has expired, was revoked, or is not this issuer’s.`;
		lines.push({text: sentence, meaning: 'error', indent: 2});
		return lines;
	}
	const scopes = text('scope')?.split(' ').filter(Boolean) ?? [];
	const grants = scopes.length ? `It grants ${scopes.length} scope${scopes.length === 1 ? '' : 's'}:` : 'It grants no scopes.';
	lines.push({text: grants, indent: 2});
	for (const scope of scopes) lines.push({text: scope, indent: 4});
	const expiresIn = Number(text('expires_in'));
	const exp = Number(text('exp'));
	if (Number.isFinite(exp) && exp > 0) lines.push({text: `Google says it expires ${formatTime(new Date(exp * 1000), now)}.`, indent: 2});
	else if (Number.isFinite(expiresIn)) lines.push({text: `Google says it expires in ${formatDuration(expiresIn * 1000)}.`, indent: 2});
	const email = text('email');
	if (email) lines.push({text: `It acts as ${email}${text('email_verified') === 'true' ? ' (email verified)' : ''}.`, indent: 2});
	const audience = text('aud') ?? text('azp');
	if (audience) {
		lines.push({text: `It was issued to the OAuth client ${audience} (its audience: the app that asked, not a service).`, indent: 2});
	}
	return lines;
}

/** One event in full, from the events pane. */
export function eventLines(event: RefreshEvent): PaneLine[] {
	const lines: PaneLine[] = [
		heading(`${event.type === 'id' ? 'ID token' : 'access token'} ${event.what}`),
		{text: `at ${formatLocalTime(event.at)}`, indent: 2},
	];
	if (event.latencyMs !== undefined) lines.push({text: `took ${event.latencyMs} ms`, indent: 2});
	if (event.expiresAt) lines.push({text: `the new token expires ${formatLocalTime(event.expiresAt)}`, indent: 2});
	if (event.tail) lines.push({text: `the new token ends in …${safe(event.tail)}`, indent: 2});
	if (event.same) lines.push({text: 'the same token came back: nothing changed', indent: 2});
	else if (event.changed?.length) lines.push({text: `claims that changed: ${event.changed.join(', ')}`, indent: 2});
	else if (event.changed) lines.push({text: 'a new token (an opaque token has no claims to compare)', indent: 2});
	if (event.error) lines.push(blank, ...errorLines(event.error, false, undefined, 'at its time'));
	else if (event.detail) lines.push({text: safe(event.detail), indent: 2});
	return lines;
}
