import {kindLabel} from '../core/decode.js';
import {terminalSafe, visibleOnce} from '../core/terminal-safe.js';
import {formatTime} from '../core/times.js';
import type {TokenKind} from '../core/types.js';
import type {Cause} from '../core/cause.js';
import {productNames, type TargetKind} from './target.js';

/** One audience tried by --probe. `accepted` as for the call: any status but 401, 403 and 407. */
export interface Probe {
	audience: string;
	status: number | null;
	accepted: boolean;
	/** Why no call was made for this audience (the mint failed), as formatError shows it: terminal-safe, redacted. */
	error?: string;
}

/**
 * What `doctor --json` prints and the live view's "try it" shows (DESIGN.md's contract), plus `evidence` for the
 * human report and `error`/`hint` when no call could be made (status null, exit 2).
 */
/** The token a report names: what was sent (doctor URL) or minted (doctor without one). */
export interface ReportToken {
	kind: TokenKind;
	audience: string | string[] | null;
	issuer: string | null;
	principal: string | null;
	expiresAt: string | null;
}

export interface DoctorReport {
	url: string;
	method: string;
	status: number | null;
	accepted: boolean;
	target: {kind: TargetKind};
	token: ReportToken | null;
	causes: Cause[];
	expectedAudience?: string;
	clockSkewSeconds?: number;
	probes?: Probe[];
	evidence?: {
		wwwAuthenticate?: string;
		/** The line of the body that matters, terminal-safe. */
		body?: string;
		bodyTruncated?: boolean;
		/** The token as sent, masked: a few characters each end and its length. */
		maskedToken?: string;
		/** What the audience's text alone shows to be wrong (core/audience-check). */
		audienceWarnings?: string[];
		/** Why --probe did not run, when asked for. */
		probeSkipped?: string;
		/** The audience the service's answer named, which --probe never mints unasked, and the command that would try it. */
		namedAudience?: {audience: string; command: string};
	};
	/** Why no call was made, as formatError shows it (terminal-safe, secrets redacted): printed as it is. */
	error?: string;
	hint?: string;
}

/** 0 accepted, 1 rejected, 2 no call made. */
export function exitCodeOf(report: DoctorReport): 0 | 1 | 2 {
	if (report.status === null) return 2;
	return report.accepted ? 0 : 1;
}

/**
 * The human report, in the issue's order: verdict, evidence, what was sent, the causes, the probe table. What the
 * evidence, the causes and the probes quote was made terminal-safe where it was read: escaped once here, never twice.
 */
export function formatReport(report: DoctorReport, now: Date): string {
	const lines: string[] = [];
	const product = report.target.kind === 'unknown' ? '' : ` (${productNames[report.target.kind]})`;
	const where = `${terminalSafe(report.method)} ${terminalSafe(report.url)}${product}`;
	lines.push(report.accepted ? `✓ accepted: HTTP ${report.status} for ${where}` : `✗ rejected: HTTP ${report.status} for ${where}`);

	const evidence = report.evidence ?? {};
	const rows: Array<[string, string]> = [];
	if (evidence.wwwAuthenticate) rows.push(['WWW-Authenticate', evidence.wwwAuthenticate]);
	if (evidence.body) rows.push(['body', `${evidence.body}${evidence.bodyTruncated ? ' (body cut at 64 KiB)' : ''}`]);
	else if (evidence.bodyTruncated) rows.push(['body', '(cut at 64 KiB)']);
	if (report.expectedAudience) rows.push(['expects audience', report.expectedAudience]);
	if (report.clockSkewSeconds !== undefined) rows.push(['clocks', clockLine(report.clockSkewSeconds)]);
	if (rows.length > 0) lines.push('', 'Evidence', ...table(rows));

	if (report.token) {
		const token = report.token;
		const sent: Array<[string, string]> = [['token', `${kindLabel(token.kind)}${evidence.maskedToken ? `, ${evidence.maskedToken}` : ''}`]];
		if (token.audience !== null) sent.push(['aud', Array.isArray(token.audience) ? token.audience.join(', ') : token.audience]);
		if (token.principal) sent.push(['principal', token.principal]);
		if (token.issuer) sent.push(['issuer', token.issuer]);
		if (token.expiresAt) sent.push(['expires', formatTime(new Date(token.expiresAt), now)]);
		for (const warning of evidence.audienceWarnings ?? []) sent.push(['⚠ audience', warning]);
		lines.push('', 'Sent (Authorization: Bearer, masked here)', ...table(sent));
	}

	if (report.causes.length > 0) {
		lines.push('', report.accepted ? 'Note' : 'Likely causes, most likely first');
		report.causes.forEach((cause, index) => {
			lines.push(`  ${index + 1}. ${cause.code}: ${visibleOnce(cause.sentence)}`);
			if (cause.fix) lines.push(`     fix: ${visibleOnce(cause.fix)}`);
		});
	}

	if (report.probes) {
		lines.push('', 'Probe: which audience the service accepts');
		for (const probe of report.probes) {
			const verdict = probe.status === null ? '  —  ' : `${probe.status} ${probe.accepted ? '✓' : '✗'}`;
			lines.push(`  ${verdict.padEnd(6)} ${visibleOnce(probe.audience)}${probe.error ? ` (${visibleOnce(probe.error)})` : ''}`);
		}
		const winner = report.probes.find(probe => probe.accepted);
		const authenticated = report.probes.find(probe => probe.status === 403);
		if (winner) lines.push(`  → mint for ${visibleOnce(winner.audience)}`);
		else if (authenticated)
			lines.push(`  → ${visibleOnce(authenticated.audience)} passes the audience check (403: the role is what is missing)`);
		else lines.push('  → none of these was accepted: the service may list a custom audience; pass it with --audience');
		const named = evidence.namedAudience;
		if (named) {
			lines.push(
				`  → the service named ${visibleOnce(named.audience)}, not minted for: a service may name any audience. ` +
					`To try it: ${visibleOnce(named.command)}`,
			);
		}
	} else if (evidence.probeSkipped) {
		lines.push('', `Probe: ${evidence.probeSkipped}`);
	}
	return `${lines.join('\n')}\n`;
}

function clockLine(skew: number): string {
	if (Math.abs(skew) <= 2) return 'this machine and the service agree (Date header)';
	return `this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} the service's (Date header)`;
}

function table(rows: Array<[string, string]>): string[] {
	const width = Math.max(...rows.map(([label]) => label.length)) + 2;
	return rows.map(([label, value]) => `  ${label.padEnd(width)}${visibleOnce(value)}`);
}
