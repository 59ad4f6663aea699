import {issuerTrustWords, isServiceAccountEmail} from '../core/google.js';
import {styleText} from 'node:util';
import {explainClaim} from '../core/explain.js';
import {kindLabel, secondsToDate} from '../core/decode.js';
import {hasHiddenCharacters, hiddenCharactersNote, terminalSafe, terminalSafeJson} from '../core/terminal-safe.js';
import {formatLocalTime, formatTime} from '../core/times.js';
import {clockSkewWarning} from '../core/skew.js';
import type {TextJwsView} from '../core/jws.js';
import type {TokenKind, TokenView, Verification} from '../core/types.js';

/** What inspect shows: a token view, or a JWS whose payload is text rather than claims. */
export type InspectedView = TokenView | TextJwsView;

export interface InspectionContext {
	/** --at: the instant times are judged at, said once at the top so nobody reads "expired" as "now". */
	judgedAt?: Date;
}

const kindStory: Record<TokenKind, string> = {
	'google-id-token':
		'a signed JWT that says who the caller is, for one audience; send it to the service named in aud (Cloud Run, IAP, your API).',
	'id-token':
		'a signed JWT that says who the caller is, for one audience, from an issuer other than Google: services that ' +
		'trust only Google (Cloud Run, IAP) refuse it.',
	'google-access-token':
		'an opaque bearer for OAuth scopes; it cannot be decoded locally, only Google can look it up (--tokeninfo). Send it to Google APIs.',
	'self-signed-jwt':
		'a service account’s own signed JWT, accepted by Google APIs as an access token ' + 'without a call to the token endpoint.',
	jwt: 'a signed JWT from an issuer other than Google.',
	opaque: 'an opaque string: only its issuer can tell what it means.',
};

type Paint = (format: Parameters<typeof styleText>[0], text: string) => string;

/** Colour for a stream that shows it (a terminal, unless NO_COLOR says otherwise), plain text for anything else. */
export function paintFor(stream: NodeJS.WritableStream): Paint {
	return (format, text) => styleText(format, text, {stream});
}

/** The human form of `inspect`: what kind of token, whether it is genuine, and what each claim means. */
export function formatInspection(
	view: InspectedView,
	now: Date,
	paint: Paint = paintFor(process.stdout),
	context: InspectionContext = {},
): string {
	const lines: string[] = [];
	const verdict = view.verification;
	const mark = {valid: paint('green', '✓ valid'), invalid: paint('red', '✗ invalid'), unverified: paint('yellow', '? unverified')};
	// With --expect-*, the signature's own verdict on its row and the expectations on theirs: a good signature on a
	// token for another audience is both good and not what was expected.
	const signature = verdict.signature ?? verdict;
	lines.push(headline(view, paint));
	lines.push(`${label('signature')}${mark[signature.status]} — ${terminalSafe(signature.reason)}`);
	if (verdict.expected) {
		const met = verdict.expected.status === 'met';
		lines.push(
			`${label('expected')}${met ? paint('green', '✓ met') : paint('red', '✗ not met')} — ${terminalSafe(verdict.expected.reason)}`,
		);
	}
	if (context.judgedAt) lines.push(judgedAtLine(context.judgedAt, paint));
	if (verdict.issuer) lines.push(`${label('issuer')}${terminalSafe(verdict.issuer)} (${issuerNote(verdict)})`);
	if (verdict.keyId) lines.push(`${label('key id')}${terminalSafe(verdict.keyId)}`);
	if (view.issuedAt) lines.push(`${label('issued')}${formatTime(view.issuedAt, now)}`);
	if (view.notBefore) lines.push(`${label('not before')}${formatTime(view.notBefore, now)}`);
	if (view.expiresAt) lines.push(`${label('expires')}${formatTime(view.expiresAt, now)}`);
	// At an instant the user chose, "issued in the future" says nothing about this machine's clock; a clamped exp still is.
	const skew = context.judgedAt ? view.expiryNote : clockSkewWarning(view, now);
	if (skew) lines.push(`${label(view.expiryNote ? 'times' : 'clock')}${paint('yellow', `⚠ ${skew}`)}`);
	if (view.header) {
		lines.push('', paint('bold', 'header'));
		for (const [name, value] of Object.entries(view.header)) lines.push(claimLine(name, value, paint));
	}
	if ('payloadText' in view) lines.push(...textPayloadLines(view, paint));
	if (view.claims) {
		lines.push('', paint('bold', 'claims'));
		for (const [name, value] of Object.entries(view.claims)) {
			const date = ['iat', 'exp', 'nbf', 'auth_time'].includes(name) ? secondsToDate(value) : null;
			const time = date ? `  ${formatTime(date, now)}` : '';
			lines.push(claimLine(name, value, paint, time));
		}
	}
	return `${lines.join('\n')}\n`;
}

function headline(view: InspectedView, paint: Paint): string {
	if ('payloadText' in view) {
		const story =
			'its payload is not a JSON claim set, so it has no claims or times; it is shown as text below, ' +
			'and the signature can still be checked with its key.';
		return `${paint('bold', 'JWS (signed, not a JWT)')} — ${story}`;
	}
	// An unsigned token is no "signed JWT", whatever its claims look like.
	const unsigned = typeof view.header?.alg === 'string' && view.header.alg.toLowerCase() === 'none';
	const story = unsigned
		? 'an UNSIGNED JWT (alg: none): anyone could have written it, so nothing in it can be trusted.'
		: kindStory[view.kind];
	return `${paint('bold', kindLabel(view.kind))} — ${story}`;
}

function judgedAtLine(at: Date, paint: Paint): string {
	const note = `(--at ${at.toISOString()}: every time below is judged at this instant, not now)`;
	return `${label('judged at')}${formatLocalTime(at)} ${paint('dim', note)}`;
}

function textPayloadLines(view: TextJwsView, paint: Paint): string[] {
	const heading = view.payloadIsText ? 'payload (text, not JSON)' : 'payload (binary)';
	const text = view.payloadIsText ? terminalSafe(view.payloadText, {newlines: true}) : view.payloadText;
	return ['', paint('bold', heading), ...text.split('\n').map(line => `  ${line}`)];
}

function issuerNote({issuer, google, testIssuer}: Verification): string {
	if (google) return issuerTrustWords.google;
	if (testIssuer) return issuerTrustWords.test;
	if (isServiceAccountEmail(issuer)) return 'a service account signing for itself; not Google’s sign-in issuer';
	return issuerTrustWords.other;
}

function label(text: string): string {
	return `${text.padEnd(11)} `;
}

const valueIndent = ' '.repeat(18);

function claimLine(name: string, value: unknown, paint: Paint, suffix = ''): string {
	const shown = showValue(value);
	const explanation = explainClaim(name);
	// Escapes shown as \u… could pass for the claim's own text: say plainly that the token hides something here.
	const hidden =
		hasHiddenCharacters(name) ||
		hasHiddenCharacters(JSON.stringify(value) ?? '') ||
		(typeof value === 'string' && hasHiddenCharacters(value));
	const warning = hidden ? `  ${paint('yellow', `⚠ ${hiddenCharactersNote}`)}` : '';
	return (
		`  ${paint('cyan', terminalSafe(name).padEnd(15))} ` +
		`${shown}${suffix}${warning}${explanation ? `\n${valueIndent}${paint('dim', explanation)}` : ''}`
	);
}

/** Strings as they are; small values as JSON on one line; nested objects (the `google` claim) as indented JSON. */
function showValue(value: unknown): string {
	if (typeof value === 'string') return terminalSafe(value);
	const oneLine = JSON.stringify(value) ?? String(value);
	if (value === null || typeof value !== 'object' || oneLine.length <= 60) return terminalSafe(oneLine);
	const lines = (JSON.stringify(value, null, 2) ?? '').split('\n').map(line => terminalSafe(line));
	return [lines[0], ...lines.slice(1).map(line => `${valueIndent}${line}`)].join('\n');
}

/** The `--json` form DESIGN promises: {kind, header, claims, issuedAt, expiresAt, verification}. */
export function inspectionJson(view: InspectedView, tokeninfo?: {endpoint: string; answer: unknown}, judgedAt?: Date): string {
	const {status, reason, issuer, keyId, signature, expected} = view.verification;
	return `${terminalSafeJson(
		{
			kind: view.kind,
			header: view.header,
			claims: view.claims,
			// A JWS that is not a JWT: its payload as text, where a JWT has claims.
			...('payloadText' in view ? {payload: view.payloadIsText ? view.payloadText : null} : {}),
			...(judgedAt ? {judgedAt: judgedAt.toISOString()} : {}),
			issuedAt: view.issuedAt?.toISOString() ?? null,
			expiresAt: view.expiresAt?.toISOString() ?? null,
			// status and reason: the whole verdict (exit 1 when invalid); signature: the signature and times alone;
			// expected: what --expect-audience / --expect-issuer found, when given.
			verification: {
				status,
				reason,
				issuer: issuer ?? null,
				keyId: keyId ?? null,
				signature: signature ?? {status, reason},
				...(expected ? {expected} : {}),
			},
			...(tokeninfo ? {tokeninfo} : {}),
		},
		2,
	)}\n`;
}
