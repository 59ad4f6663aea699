import {Box, Text} from 'ink';
import {memo} from 'react';
import {explainClaim} from '../../core/explain.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {formatDuration, formatLocalTime} from '../../core/times.js';
import {colour, dim} from '../theme.js';

const timeClaims = new Set(['iat', 'exp', 'nbf', 'auth_time']);
/** The name column, padded inside the row's one line of text (no box per cell for the layout engine to measure). */
const nameWidth = 16;

/**
 * Times as the clock shows them, and the others as offsets from iat ("iat + 1h 00m"): they stay true as the view
 * sits there, where "in 59m" would freeze (the countdown above is what ticks).
 */
function shown(name: string, value: unknown, issuedAt: unknown): string {
	if (timeClaims.has(name) && typeof value === 'number') {
		const time = formatLocalTime(new Date(value * 1000));
		if (name === 'iat' || typeof issuedAt !== 'number') return time;
		const offset = (value - issuedAt) * 1000;
		return `${time} (iat ${offset < 0 ? '−' : '+'} ${formatDuration(Math.abs(offset))})`;
	}
	return terminalSafe(typeof value === 'string' ? value : JSON.stringify(value));
}

interface ClaimsTableProps {
	claims: Record<string, unknown>;
	maxRows: number;
	explain: boolean;
}

/** Each claim with what it means in plain words (teaching is a main use). */
export const ClaimsTable = memo(function ClaimsTable({claims, maxRows, explain}: ClaimsTableProps) {
	const entries = Object.entries(claims);
	const rows = entries.slice(0, maxRows);
	return (
		<Box flexDirection="column">
			{rows.map(([name, value]) => (
				<Text key={name} wrap="truncate-end">
					<Text color={colour('accent')}>{terminalSafe(name).slice(0, nameWidth - 1).padEnd(nameWidth)}</Text>
					{shown(name, value, claims.iat)}
					{explain && explainClaim(name) ? <Text dimColor={dim}>{`  — ${explainClaim(name)}`}</Text> : null}
				</Text>
			))}
			{entries.length > rows.length && <Text dimColor={dim}>… {entries.length - rows.length} more claims (j copies them all as JSON)</Text>}
		</Box>
	);
});
