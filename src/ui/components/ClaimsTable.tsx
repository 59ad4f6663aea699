import {Box, Text} from 'ink';
import {memo} from 'react';
import {secondsToDate} from '../../core/decode.js';
import {explainClaim} from '../../core/explain.js';
import {hiddenCharactersNote, terminalSafe} from '../../core/terminal-safe.js';
import {formatDuration, formatLocalTime} from '../../core/times.js';
import stringWidth from 'string-width';
import {capColumns, fitColumns, windowStart, wrapText} from '../layout.js';
import {colour, dim} from '../theme.js';
import {holdsHidden, ShownText} from './SafeText.js';

const timeClaims = new Set(['iat', 'exp', 'nbf', 'auth_time']);
/** The name column, padded inside the row's one line of text (no box per cell for the layout engine to measure). */
const nameWidth = 16;
/** A value longer than this (six lines at 100 columns) is cut below the table, with an ellipsis: a bound for hostile tokens. */
const maxValueColumns = 600;

/**
 * Times as the clock shows them, and the others as offsets from iat ("iat + 1h 00m"): they stay true as the view
 * sits there, where "in 59m" would freeze (the countdown above is what ticks).
 */
function shown(name: string, value: unknown, issuedAt: unknown): string {
	// A number no date can hold (exp 1e308) is shown as the number it is; the warning above says how it is taken.
	const date = timeClaims.has(name) ? secondsToDate(value) : null;
	if (date && typeof value === 'number') {
		const time = formatLocalTime(date);
		if (name === 'iat' || !secondsToDate(issuedAt) || typeof issuedAt !== 'number') return time;
		const offset = (value - issuedAt) * 1000;
		return `${time} (iat ${offset < 0 ? '−' : '+'} ${formatDuration(Math.abs(offset))})`;
	}
	return terminalSafe(typeof value === 'string' ? value : JSON.stringify(value));
}

/** A line below the table: the selected claim's whole value, the flag for hidden characters, or what it means. */
export interface ExplanationLine {
	text: string;
	kind: 'value' | 'flag' | 'meaning';
}

/**
 * The selected claim in full: its whole value when the row cuts it or hides characters (shown as escapes), the flag,
 * then what it means, wrapped to the width.
 */
export function claimExplanation(claims: Record<string, unknown>, selected: number, columns: number): ExplanationLine[] {
	const entry = Object.entries(claims)[Math.min(selected, Object.keys(claims).length - 1)];
	if (!entry) return [];
	const [name, value] = entry;
	const text = shown(name, value, claims.iat);
	const flagged = holdsHidden(name) || holdsHidden(value);
	const lines: ExplanationLine[] = [];
	const wrapped = (line: string, kind: ExplanationLine['kind']) => {
		lines.push(...wrapText(line, columns - 2).map(piece => ({text: piece, kind})));
	};
	if (flagged || nameWidth + 2 + stringWidth(text) > columns)
		wrapped(`${terminalSafe(name)} = ${capColumns(text, maxValueColumns)}`, 'value');
	if (flagged) wrapped(`⚠ ${terminalSafe(name)} ${hiddenCharactersNote}: the text may not be what it looks like.`, 'flag');
	wrapped(`${terminalSafe(name)}: ${explainClaim(name) ?? 'A claim of this issuer’s own; no standard meaning.'}`, 'meaning');
	return lines;
}

interface ClaimsTableProps {
	claims: Record<string, unknown>;
	selected: number;
	/** Rows for the table and the explanation below it together. */
	rows: number;
	columns: number;
}

/**
 * One row per claim, cut to the width; ↑/↓ select one, and its whole explanation (and value) shows below the table,
 * wrapped, so the teaching text is readable at 80×24. The table scrolls when it has fewer rows than claims.
 */
export const ClaimsTable = memo(function ClaimsTable({claims, selected, rows, columns}: ClaimsTableProps) {
	const entries = Object.entries(claims);
	const explanation = claimExplanation(claims, selected, columns);
	// The table keeps at least three rows (or all claims), the explanation takes what is left.
	const explained = Math.min(explanation.length, Math.max(0, rows - Math.min(entries.length, 3)));
	const tableRows = Math.max(0, Math.min(entries.length, rows - explained));
	const start = windowStart(entries.length, tableRows, selected);
	const visible = entries.slice(start, start + tableRows);
	return (
		<Box flexDirection="column">
			{visible.map(([name, value], index) => {
				const isSelected = start + index === selected;
				// The marker column also says when rows are scrolled out of view, above or below.
				const moreBelow = index === visible.length - 1 && start + tableRows < entries.length;
				const marker = isSelected ? '❯ ' : moreBelow ? '↓ ' : index === 0 && start > 0 ? '↑ ' : '  ';
				// A claim holding hidden characters is flagged in its row; its detail below says what that means.
				const flagged = holdsHidden(name) || holdsHidden(value);
				return (
					<Text key={name} wrap="truncate-end">
						<Text color={colour('accent')} bold={isSelected}>
							{marker}
							{fitColumns(fitColumns(terminalSafe(name), nameWidth - 2), nameWidth - 1)}
						</Text>
						<Text color={colour('warning')}>{flagged ? '⚠' : ' '}</Text>
						<ShownText shown={shown(name, value, claims.iat)} />
					</Text>
				);
			})}
			{explanation.slice(0, explained).map((line, index) => (
				<Text
					key={`explain-${index}`}
					dimColor={line.kind === 'meaning' && dim}
					color={line.kind === 'flag' ? colour('warning') : undefined}
					wrap="truncate-end"
				>
					{'  '}
					{line.kind === 'value' ? <ShownText shown={line.text} /> : line.text}
				</Text>
			))}
		</Box>
	);
});

/** Rows the table and its explanation could use. */
export function claimsWant(claims: Record<string, unknown>, selected: number, columns: number): number {
	return Object.keys(claims).length + claimExplanation(claims, selected, columns).length;
}
