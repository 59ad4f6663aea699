import {kindLabel} from '../core/decode.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {formatTime} from '../core/times.js';
import type {ReportToken} from './report.js';
import type {SourceId} from '../sources/types.js';
import type {Cause} from '../core/cause.js';

// What `tokscope doctor` without a URL prints: the minting chain step by step, then the causes of the first failure.
// The same keys as `doctor URL`'s report (DESIGN.md's contract), with `target.kind` "mint" and a `steps` array.

/** What a step of the chain did: each is one request (or one read, one program run) with its input and its answer. */
export type MintStepKind =
	'credential' | 'subject-token' | 'federation' | 'token-endpoint' | 'sts' | 'impersonation' | 'metadata' | 'request' | 'tool' | 'minted';

export interface MintStep {
	step: MintStepKind;
	/** The step in words: "Security Token Service (token exchange)". */
	title: string;
	ok: boolean;
	/** How long it took; null when it was not timed (a file read inside another step). */
	ms: number | null;
	method?: string;
	url?: string;
	status?: number;
	/** What went in (never a secret): the fields that matter, by name. */
	input: Record<string, string>;
	/** What came back (never a secret): the fields that matter, by name. */
	answer: Record<string, string>;
	/** What tokscope noticed at this step without asking anyone: warnings, federation checks. */
	notes?: string[];
}

export interface MintReport {
	/** The endpoint of the step that decided: the one that refused, or the one that minted; null when none was asked. */
	url: string | null;
	method: string | null;
	/** Its HTTP status; null when no endpoint answered (nothing found, no connection). */
	status: number | null;
	/** A token was minted. */
	accepted: boolean;
	target: {kind: 'mint'; source: SourceId; want: 'access-token' | 'id-token'; audience?: string};
	token: ReportToken | null;
	causes: Cause[];
	steps: MintStep[];
	/** Why no token came, as formatError shows it (terminal-safe, secrets redacted). */
	error?: string;
	hint?: string;
}

/** 0 minted, 1 an endpoint refused, 2 the chain could not be tried (nothing found, nothing answered). */
export function mintExitCode(report: MintReport): 0 | 1 | 2 {
	if (report.accepted) return 0;
	return report.status !== null && report.status >= 400 ? 1 : 2;
}

/** The human report: the verdict, each step with its input and answer, the causes. */
export function formatMintReport(report: MintReport, now: Date): string {
	const lines: string[] = [];
	const want = report.target.want === 'id-token' ? `an ID token for ${report.target.audience ?? '?'}` : 'an access token';
	// The verdict names the endpoint that refused (a failed check of tokscope's own only adds causes), else what failed.
	const refused = report.steps.find(step => step.status !== undefined && step.status >= 400);
	const failed = [...report.steps].reverse().find(step => !step.ok);
	if (report.accepted) lines.push(`✓ minted ${want} (source ${report.target.source})`);
	else if (report.status !== null)
		lines.push(`✗ refused: HTTP ${report.status} from ${refused?.title ?? report.url ?? 'the endpoint'}, asking for ${want}`);
	else lines.push(`✗ could not mint ${want}: ${failed ? `${failed.title} failed` : 'nothing was tried'}`);

	lines.push('', 'Steps');
	report.steps.forEach((step, index) => {
		const time = step.ms === null ? '' : ` (${step.ms} ms)`;
		lines.push(`  ${index + 1}. ${step.ok ? '✓' : '✗'} ${step.title}${time}`);
		const rows: Array<[string, string]> = [];
		if (step.method && step.url) rows.push(['request', `${step.method} ${step.url}`]);
		for (const [name, value] of Object.entries(step.input)) rows.push([name, value]);
		if (step.status !== undefined) rows.push(['→ status', `HTTP ${step.status}`]);
		for (const [name, value] of Object.entries(step.answer)) rows.push([`→ ${name}`, value]);
		lines.push(...table(rows, '       '));
		for (const note of step.notes ?? []) lines.push(`       ⚠ ${terminalSafe(note)}`);
	});

	if (report.token) {
		const {kind, principal, expiresAt} = report.token;
		const who = principal ? ` for ${principal}` : '';
		lines.push('', `${kindLabel(kind)}${who}${expiresAt ? `, expires ${formatTime(new Date(expiresAt), now)}` : ''}.`);
	}

	if (report.causes.length > 0) {
		lines.push('', report.accepted ? 'Note' : 'Likely causes, most likely first');
		report.causes.forEach((cause, index) => {
			lines.push(`  ${index + 1}. ${cause.code}: ${terminalSafe(cause.sentence)}`);
			if (cause.fix) lines.push(`     fix: ${terminalSafe(cause.fix)}`);
		});
	}
	return `${lines.join('\n')}\n`;
}

function table(rows: Array<[string, string]>, indent: string): string[] {
	if (rows.length === 0) return [];
	const width = Math.max(...rows.map(([label]) => label.length)) + 2;
	return rows.map(([label, value]) => `${indent}${terminalSafe(label).padEnd(width)}${terminalSafe(value)}`);
}
