import {kindLabel} from '../../core/decode.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {formatDuration, formatLocalTime} from '../../core/times.js';
import type {TokenType} from '../../core/types.js';
import type {DoctorReport} from '../../doctor/report.js';
import {fitColumns, wrapText} from '../layout.js';
import {withToken, type Slot, type SlotWithToken} from '../../session/state.js';
import type {PaneLine, TokenInfoState} from './details.js';

// The comparison (i): the two tokens of one identity as they are now, side by side. Every value is read from the
// tokens themselves (the ID token's claims, the access token's length, its scopes, tokeninfo's answer), and one key
// sends each token to the same two places (a service that wants an ID token, a Google API that wants an access token)
// through doctor's own diagnosis, so the class watches one accepted and the other refused, and why.

/** Where the two tokens are sent: a service checking an ID token's audience, and a Google API. */
export interface CompareTarget {
	label: string;
	url: string;
}

export interface CompareTargets {
	service?: CompareTarget;
	googleApi?: CompareTarget;
}

/** One call of one token to one target, as doctor answered it. */
export type CompareCall =
	| {status: 'calling'}
	| {status: 'answered'; report: DoctorReport}
	/** As formatError shows it. */
	| {status: 'failed'; error: string};

export type TargetName = keyof CompareTargets;
export type CompareCalls = Partial<Record<`${TargetName} ${TokenType}`, CompareCall>>;

export interface CompareInput {
	slots: Record<TokenType, Slot>;
	/** Why there is no ID token to compare (no audience was given). */
	idTokenUnavailable?: string;
	/** The source fetches tokens; a pasted token comes alone. */
	refreshes: boolean;
	tokenInfo: TokenInfoState;
	calls: CompareCalls;
	targets: CompareTargets;
	/** Keys the pane answers: t (tokeninfo, when it can be asked), x (the calls, when there is somewhere to call). */
	canAskTokenInfo: boolean;
	canCall: boolean;
	columns: number;
}

/** From this width the two tokens sit side by side; below it, one above the other. */
export const sideBySideColumns = 100;

/** 'checked by' and a space; a target's label (Cloud Run, Google API) fits too. */
const labelColumns = 12;
const names: Record<TokenType, string> = {id: 'ID token', access: 'access token'};
const clock = (date: Date) => formatLocalTime(date).slice(11);

type Row = {label: string; id: string; access: string};

export function compareTitle(columns: number): string {
	return `ID token vs access token: the two tokens of one caller, now${columns >= sideBySideColumns ? '' : ' (stacked)'}`;
}

/** The comparison's lines: side by side from `sideBySideColumns`, stacked below it; then what its keys do. */
export function compareLines(input: CompareInput): PaneLine[] {
	const rows = compareRows(input);
	const table = input.columns >= sideBySideColumns ? sideBySide(rows, input.columns) : stacked(rows);
	return [...table, {text: ''}, ...keyLines(input)];
}

function compareRows(input: CompareInput): Row[] {
	const id = withToken(input.slots.id);
	const access = withToken(input.slots.access);
	// A token not (yet) there says why on its first row; its other rows stay empty.
	const missing = (type: TokenType) =>
		input.refreshes
			? noToken(type, input.slots[type], type === 'id' ? input.idTokenUnavailable : undefined)
			: 'none: a pasted token comes alone';
	const rows: Row[] = [
		{label: 'format', id: id ? idFormat(id) : missing('id'), access: access ? accessFormat(access) : missing('access')},
		{label: 'who', id: id ? idWho(id) : '', access: access ? accessWho(input.tokenInfo, access) : ''},
		{label: 'checked by', id: id ? idChecked(id) : '', access: access ? accessChecked(input.tokenInfo, access) : ''},
		{label: 'for', id: id ? idFor(id) : '', access: access ? accessFor(input.tokenInfo, access) : ''},
		{label: 'lifetime', id: id ? lifetime(id, 'iat', 'exp') : '', access: access ? lifetime(access, 'fetched', 'expires') : ''},
	];
	const tried = (['service', 'googleApi'] as const).filter(
		name => input.targets[name] && (input.calls[`${name} id`] || input.calls[`${name} access`]),
	);
	if (tried.length === 0) {
		rows.push({
			label: 'accepted',
			id: id ? 'by a service that checks aud (Cloud Run, IAP, Functions)' : '',
			access: access ? 'by Google APIs (*.googleapis.com), within its scopes' : '',
		});
	}
	for (const name of tried) {
		const target = input.targets[name]!;
		rows.push({label: target.label, id: callText(input.calls[`${name} id`]), access: callText(input.calls[`${name} access`])});
	}
	return rows;
}

function noToken(type: TokenType, slot: Slot, unavailable: string | undefined): string {
	if (unavailable) return 'none: no audience was given (s, then the service URL as the audience)';
	if (slot.status === 'failed') return `none: ${terminalSafe(slot.error.message)}`;
	return `fetching the ${names[type]}…`;
}

function idFormat({raw, view}: SlotWithToken): string {
	if (!view.claims) return `${kindLabel(view.kind)}, ${raw.token.length} chars`;
	return `a JWT of ${raw.token.length} chars that anyone can decode`;
}

function accessFormat({raw, view}: SlotWithToken): string {
	if (view.claims) return `${kindLabel(view.kind)} of ${raw.token.length} chars that anyone can decode`;
	const prefix = /^[A-Za-z0-9]{2,8}\./.exec(raw.token)?.[0];
	return `opaque, ${raw.token.length} chars${prefix ? ` (${prefix}…)` : ''}: nothing in it to decode`;
}

const claim = (token: SlotWithToken, name: string) => {
	const value = token.view.claims?.[name];
	return typeof value === 'string' ? terminalSafe(value) : undefined;
};

function idWho(token: SlotWithToken): string {
	const email = claim(token, 'email');
	const sub = claim(token, 'sub');
	return email ? `${email} (email)` : sub ? `sub ${sub}` : 'no sub or email claim';
}

function idChecked(token: SlotWithToken): string {
	const {verification} = token.view;
	const whose = verification.google ? 'Google’s published keys' : 'its issuer’s published keys';
	const verdict = {valid: '✓ valid', invalid: '✗ invalid', unverified: '? not checked yet'}[verification.status];
	return `anyone, with ${whose}: ${verdict}`;
}

function idFor(token: SlotWithToken): string {
	const aud = token.view.claims?.aud;
	const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter(value => typeof value === 'string') : [];
	if (audiences.length === 0) return 'no audience (aud) claim';
	return `${audiences.length === 1 ? 'one audience' : 'audiences'}: ${audiences.map(value => terminalSafe(value)).join(', ')}`;
}

/** What tokeninfo said, once asked: its fields as text. */
function tokenInfoFields(info: TokenInfoState, token: SlotWithToken): Record<string, string> | undefined {
	if (info.status !== 'answered' || info.token !== token.raw.token) return undefined;
	const fields: Record<string, string> = {};
	for (const [name, value] of Object.entries(info.info.fields)) {
		if (typeof value === 'string' || typeof value === 'number') fields[name] = terminalSafe(String(value));
	}
	return fields;
}

function accessWho(info: TokenInfoState, token: SlotWithToken): string {
	const fields = tokenInfoFields(info, token);
	if (!fields) return 'only Google knows: t asks tokeninfo';
	if (fields.error) return `tokeninfo does not know it (${fields.error})`;
	return fields.email ? `${fields.email} (tokeninfo)` : 'tokeninfo names no email';
}

function accessChecked(info: TokenInfoState, token: SlotWithToken): string {
	const asked = info.status !== 'idle' && info.token === token.raw.token ? info : undefined;
	const said =
		asked?.status === 'asking'
			? 'asking tokeninfo…'
			: asked?.status === 'failed'
				? `tokeninfo: ${terminalSafe(asked.error)}`
				: asked?.status === 'answered'
					? tokenInfoFields(info, token)?.error
						? '✗ tokeninfo refuses it'
						: '✓ tokeninfo knows it'
					: 'tokeninfo not asked yet';
	return `only Google, which looks it up: ${said}`;
}

function accessFor(info: TokenInfoState, token: SlotWithToken): string {
	const scopes = tokenInfoFields(info, token)?.scope?.split(' ').filter(Boolean) ?? token.raw.scopes ?? [];
	const short = scopes.map(scope => terminalSafe(scope).replace(/^https:\/\/www\.googleapis\.com\/auth\//, ''));
	return short.length ? `scopes: ${short.join(', ')}; no audience` : 'scopes not reported (t asks tokeninfo); no audience';
}

function lifetime({view}: SlotWithToken, from: string, to: string): string {
	if (!view.expiresAt) return 'the source did not say when it expires';
	if (!view.issuedAt) return `expires ${clock(view.expiresAt)}`;
	const length = formatDuration(view.expiresAt.getTime() - view.issuedAt.getTime());
	return `${length}: ${from} ${clock(view.issuedAt)} → ${to} ${clock(view.expiresAt)}`;
}

/** doctor's verdict in one line: accepted, or refused with its likeliest cause's sentence. */
function callText(call: CompareCall | undefined): string {
	if (!call) return '—';
	if (call.status === 'calling') return 'calling…';
	if (call.status === 'failed') return `✗ ${terminalSafe(call.error)}`;
	const {report} = call;
	if (report.status === null) return `✗ not called: ${report.error ?? 'unknown error'}`;
	if (report.accepted) return `✓ accepted (HTTP ${report.status})`;
	const cause = report.causes[0];
	return `✗ refused (HTTP ${report.status})${cause ? `: ${terminalSafe(cause.sentence)}` : ''}`;
}

function keyLines(input: CompareInput): PaneLine[] {
	const {service, googleApi} = input.targets;
	const where = [service, googleApi].filter((target): target is CompareTarget => Boolean(target));
	const lines: PaneLine[] = [];
	if (input.canCall && where.length > 0) {
		const named = where.map(target => target.label).join(' and ');
		lines.push({text: `x sends both tokens to ${named}, as tokscope doctor does`, meaning: 'accent'});
	}
	const keys = [input.canAskTokenInfo ? 't asks tokeninfo what the access token is' : '', 'esc back'].filter(Boolean);
	lines.push({text: keys.join(' · '), meaning: 'accent'});
	return lines;
}

/** Label, ID token, access token: each cell wrapped in its own column, in whole words. */
function sideBySide(rows: Row[], columns: number): PaneLine[] {
	const cell = Math.floor((columns - labelColumns - 2) / 2);
	const line = (label: string, id: string, access: string) => `${fitColumns(label, labelColumns)}${fitColumns(id, cell)}  ${access}`;
	const lines: PaneLine[] = [{text: line('', names.id, names.access).trimEnd(), bold: true}];
	for (const row of rows) {
		const id = wrapText(row.id, cell);
		const access = wrapText(row.access, cell);
		for (let index = 0; index < Math.max(id.length, access.length); index++) {
			const text = line(index === 0 ? row.label : '', id[index] ?? '', access[index] ?? '');
			lines.push({text: text.trimEnd()});
		}
	}
	return lines;
}

/** One token, then the other, each row's value wrapping beside its label. */
function stacked(rows: Row[]): PaneLine[] {
	return (['id', 'access'] as const).flatMap(type => {
		const heading: PaneLine = {text: names[type], bold: true};
		const body = rows
			.filter(row => row[type])
			.map((row): PaneLine => ({
				text: `${fitColumns(row.label, labelColumns)}${row[type]}`,
				indent: 2,
				hang: labelColumns,
				// A call's verdict in its colour: one token's row here, so the row is the cell.
				meaning: row[type].startsWith('✓ accepted') ? 'valid' : row[type].startsWith('✗ refused') ? 'invalid' : undefined,
			}));
		return [heading, ...body];
	});
}
