import {formatError} from '../../core/errors.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {parseTargetUrl} from '../../doctor/target.js';
import {formatReport, type DoctorReport} from '../../doctor/report.js';
import type {TokenType} from '../../core/types.js';
import type {PaneLine} from './details.js';

// "Try it" (x): the live view calls the audience with the current token through doctor's own diagnosis (handed in
// as a service) and shows the same verdict, evidence and ranked causes as `tokscope doctor`, from the same renderer.

export type TryItState =
	| {status: 'idle'}
	/**
	 * Asking for the URL to call: the access token has no audience, an ID token's audience may not be a URL, or the user
	 * asked for another URL (u).
	 */
	| {status: 'asking'; type: TokenType; why: AskWhy; prefill: string; problem?: string}
	| {status: 'calling'; type: TokenType; url: string; probe: boolean}
	| {status: 'answered'; type: TokenType; url: string; probe: boolean; report: DoctorReport}
	| {status: 'failed'; type: TokenType; url: string; probe: boolean; /** As formatError shows it. */ error: string};

export type AskWhy = 'no-audience' | 'audience-not-url' | 'another';

const tokenName = (type: TokenType) => (type === 'id' ? 'ID token' : 'access token');

/** Why the URL as typed cannot be called with a token, or undefined: doctor's own policy (doctor/target.ts), said as typed. */
export function urlProblem(text: string): string | undefined {
	const value = text.trim();
	if (!value) return 'Type the URL to call, e.g. https://my-service-abc123-uc.a.run.app/';
	if (!/^https?:\/\//i.test(value)) return 'The URL starts with https:// (or http:// to a loopback address).';
	try {
		parseTargetUrl(value);
	} catch (error) {
		return formatError(error).message;
	}
	return undefined;
}

/** The URL an ID token is tried against without asking: its audience, when that is a URL (Cloud Run's is). */
export function audienceUrl(audience: string | undefined): string | undefined {
	return audience && !urlProblem(audience) ? audience.trim() : undefined;
}

/** Why a URL is asked, in a sentence over the field. */
export function askingWhy(state: Extract<TryItState, {status: 'asking'}>, audience: string | undefined): string {
	switch (state.why) {
		case 'another':
			return `Type another URL to call with the ${tokenName(state.type)} (the last one is filled in; ctrl-u clears it).`;
		case 'audience-not-url':
			return `This ID token's audience (${terminalSafe(audience ?? 'none')}) is not a URL: type the URL of the service to call.`;
		case 'no-audience':
			return (
				'An access token has no audience: type the URL to call with it (Google APIs want one; Cloud Run, IAP and ' +
				'Cloud Functions want an ID token, which try it will then say).'
			);
	}
}

export function tryItTitle(state: TryItState): string {
	if (state.status === 'idle' || state.status === 'asking') return 'Try it: call a service with this token';
	const doing = state.status === 'calling' ? (state.probe ? 'probing' : 'calling') : state.probe ? 'probed' : 'called';
	return `Try it, ${doing} — ${terminalSafe(state.url)}`;
}

/**
 * The audience --probe found: the one the service accepted, else the one that passed its audience check (a 403: the
 * role is what is missing). `m` mints for it and goes live with it.
 */
export function probedAudience(state: TryItState): string | undefined {
	if (state.status !== 'answered' || !state.report.probes) return undefined;
	const {probes} = state.report;
	return (probes.find(probe => probe.accepted) ?? probes.find(probe => probe.status === 403))?.audience;
}

/** What the live view can do about a refusal, for the "here:" lines that stand in for doctor's command-line fixes. */
export interface TryItHere {
	/** The source mints tokens (a pasted one does not). */
	refreshes: boolean;
	/** The ID token a tab away: minted (`ready`), impossible without an audience, or impossible for this source. */
	idToken: 'ready' | 'no-audience' | 'cannot-mint';
}

type Answered = Extract<TryItState, {status: 'answered'}>;

/**
 * What the user can do in the live view about a cause, in keys: doctor's fixes are commands for a shell (a gcloud
 * user minting ID tokens needs --impersonate-service-account=SA_EMAIL), while here the source and its other token are
 * a key away. Undefined where the live view has nothing better than doctor's fix.
 */
export function hereFix(code: string, state: Answered, here: TryItHere): string | undefined {
	const wantsId = state.type === 'access' && state.report.target.kind !== 'google-api';
	switch (code) {
		case 'wrong-token-kind':
			if (state.type === 'id') return 'tab shows the access token; x then calls with it (this URL is filled in).';
			if (!wantsId) return undefined;
			if (here.idToken === 'ready') return 'tab shows the ID token; x then calls its audience with it.';
			if (here.idToken === 'no-audience') {
				return 's, then this source again with the service URL as the audience: its ID token is then a tab away.';
			}
			return 's, then a source that mints ID tokens for an audience (metadata server, key file, impersonation).';
		case 'audience-mismatch':
		case 'custom-audience-missing':
			return state.type === 'id' && here.refreshes && !state.probe
				? 'p probes which audience the service accepts; m then goes live with it.'
				: undefined;
		case 'token-expired':
			return here.refreshes ? 'r refreshes the token; x then calls again.' : 's, then paste a fresh token.';
		default:
			return undefined;
	}
}

/** The pane's lines: doctor's report, in its order, with meaning for colour; then what the pane's keys do. */
export function tryItLines(state: TryItState, now: Date, here?: TryItHere): PaneLine[] {
	switch (state.status) {
		case 'idle':
		case 'asking':
			return [];
		case 'calling':
			return [
				{text: `Calling ${terminalSafe(state.url)} with the ${tokenName(state.type)} (Authorization: Bearer, masked)…`, meaning: 'muted'},
				...(state.probe ? [{text: 'then minting ID tokens for up to 5 audiences and calling with each…', meaning: 'muted' as const}] : []),
			];
		case 'failed':
			return [{text: `✗ ${state.error}`, meaning: 'error'}, {text: ''}, ...keyLines(state)];
		case 'answered': {
			const found = probedAudience(state);
			const use = found
				? [{text: `m mints the ID token for ${terminalSafe(found)} and goes live with it`, meaning: 'accent' as const}]
				: [];
			const fixHere = here ? (code: string) => hereFix(code, state, here) : undefined;
			return [...reportLines(state.report, now, fixHere), {text: ''}, ...use, ...keyLines(state)];
		}
	}
}

function keyLines(state: {type: TokenType; probe: boolean}): PaneLine[] {
	const probe = state.type === 'id' && !state.probe ? 'p probes which audience the service accepts (up to 5 mints and calls) · ' : '';
	return [{text: `${probe}x calls again · u another URL · esc back`, meaning: 'accent'}];
}

/**
 * doctor's human report (src/doctor/report.ts) as pane lines; a call that could not be made says why in one sentence.
 * `fixHere` gives a cause's fix in the live view's keys, said instead of doctor's command.
 */
export function reportLines(report: DoctorReport, now: Date, fixHere?: (code: string) => string | undefined): PaneLine[] {
	if (report.status === null) {
		const said = `✗ no call made: ${report.error ?? 'unknown error'}`;
		const lines: PaneLine[] = [{text: said, meaning: 'invalid', bold: true}];
		if (report.hint) lines.push({text: report.hint, indent: 2});
		if (report.causes.length) lines.push({text: ''}, {text: 'Likely causes, most likely first', bold: true});
		report.causes.forEach((cause, index) => {
			lines.push({text: `${index + 1}. ${cause.code}: ${terminalSafe(cause.sentence)}`, indent: 2, hang: 3});
			if (cause.fix) lines.push({text: `fix: ${terminalSafe(cause.fix)}`, meaning: 'accent', indent: 5, hang: 5});
		});
		return lines;
	}
	// The cause the lines below belong to: its fix follows its numbered line.
	let cause: string | undefined;
	return formatReport(report, now)
		.replace(/\n$/, '')
		.split('\n')
		.map((line, index): PaneLine => {
			const text = line.trimStart();
			const indent = line.length - text.length;
			if (index === 0) return {text, meaning: report.accepted ? 'valid' : 'invalid', bold: true};
			if (text && indent === 0) return {text, bold: true};
			const numbered = /^\d+\. ([a-z-]+):/.exec(text);
			if (numbered) cause = numbered[1];
			const here = text.startsWith('fix: ') && cause ? fixHere?.(cause) : undefined;
			if (here) return {text: `here: ${here}`, meaning: 'accent', indent, hang: 6};
			if (text.startsWith('fix: ')) return {text, meaning: 'accent', indent, hang: 5};
			if (text.startsWith('→ ')) return {text, meaning: 'accent', indent, hang: 2};
			// A table row ("label   value"), a numbered cause ("1. code: sentence"), a probe ("401 ✗  audience").
			const hang = /^(\d+\. |\d{3} [✓✗] +|—  +|\S.*?\s{2,})/.exec(text)?.[0].length ?? 0;
			return {text, indent, meaning: text.startsWith('⚠') ? 'warning' : undefined, hang};
		});
}
