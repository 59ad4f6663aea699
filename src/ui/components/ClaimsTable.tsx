import {Box, Text} from 'ink';
import {memo} from 'react';
import {explainClaim} from '../../core/explain.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {formatLocalTime, formatRelative} from '../../core/times.js';
import {colour, dim} from '../theme.js';

const timeClaims = new Set(['iat', 'exp', 'nbf', 'auth_time']);

function shown(name: string, value: unknown, now: Date): string {
	if (timeClaims.has(name) && typeof value === 'number') {
		const date = new Date(value * 1000);
		return `${formatLocalTime(date)} (${formatRelative(date.getTime() - now.getTime())})`;
	}
	return terminalSafe(typeof value === 'string' ? value : JSON.stringify(value));
}

interface ClaimsTableProps {
	claims: Record<string, unknown>;
	/** Rendered at fetch time: relative times say how they stood when the token arrived. */
	now: Date;
	maxRows: number;
	explain: boolean;
}

/** Each claim with what it means in plain words (teaching is a main use). */
export const ClaimsTable = memo(function ClaimsTable({claims, now, maxRows, explain}: ClaimsTableProps) {
	const entries = Object.entries(claims);
	const rows = entries.slice(0, maxRows);
	return (
		<Box flexDirection="column">
			{rows.map(([name, value]) => (
				<Box key={name}>
					<Box width={16} flexShrink={0}>
						<Text color={colour('accent')}>{terminalSafe(name).slice(0, 15)}</Text>
					</Box>
					<Box flexGrow={1} flexShrink={1}>
						<Text wrap="truncate-end">
							{shown(name, value, now)}
							{explain && explainClaim(name) ? <Text dimColor={dim}>{`  — ${explainClaim(name)}`}</Text> : null}
						</Text>
					</Box>
				</Box>
			))}
			{entries.length > rows.length && <Text dimColor={dim}>… {entries.length - rows.length} more claims (j copies them all as JSON)</Text>}
		</Box>
	);
});
