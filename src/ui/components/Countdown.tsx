import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {formatDuration, tokenTimes} from '../../core/times.js';
import {colour, lifetimeMeaning, type Meaning} from '../theme.js';

interface CountdownProps {
	issuedAt: Date | null;
	expiresAt: Date | null;
	now: () => Date;
	width: number;
	stale: boolean;
	/** The line below the bar: when the next refresh or retry happens, or why there is none. */
	next: {label: string; at: Date; meaning: Meaning; suffix?: string} | {note: string; meaning: Meaning};
}

/**
 * The only component that ticks: once a second, so the rest of the tree stays still. The expiry bar and the
 * "next refresh in" line share the one timer, so the view redraws once a second, not twice.
 */
export function Countdown({issuedAt, expiresAt, now, width, stale, next}: CountdownProps) {
	const [current, setCurrent] = useState(now);
	useEffect(() => {
		setCurrent(now());
		const timer = setInterval(() => setCurrent(now()), 1000);
		return () => clearInterval(timer);
	}, [now, expiresAt]);
	const nextLine =
		'at' in next ? (
			<Text color={colour(next.meaning)} wrap="truncate-end">
				{next.label} {formatDuration(Math.max(0, next.at.getTime() - current.getTime()))}
				{next.suffix}
			</Text>
		) : (
			<Text color={colour(next.meaning)} wrap="truncate-end">{next.note}</Text>
		);

	if (!expiresAt) {
		return (
			<Box flexDirection="column">
				<Text color={colour('muted')}>expiry unknown: the source did not say when this token expires</Text>
				{nextLine}
			</Box>
		);
	}
	const times = tokenTimes({issuedAt, expiresAt}, current);
	const used = times.usedShare ?? (times.expired ? 1 : 0);
	const barWidth = Math.max(10, width - 34);
	const filled = Math.round(used * barWidth);
	const meaning = times.expired ? 'critical' : lifetimeMeaning(used);
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				<Text color={colour(meaning)} bold>
					{times.expired ? `expired ${formatDuration(times.remainingMs ?? 0)} ago` : `expires in ${formatDuration(times.remainingMs ?? 0)}`}
				</Text>{' '}
				<Text color={colour(meaning)}>{'█'.repeat(filled)}</Text>
				<Text color={colour('muted')}>{'░'.repeat(barWidth - filled)}</Text>
				<Text color={colour('muted')}> {Math.round(used * 100)}% used</Text>
				{stale && <Text color={colour('stale')}> STALE</Text>}
			</Text>
			{nextLine}
		</Box>
	);
}
