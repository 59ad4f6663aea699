import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {formatDuration, tokenTimes} from '../../core/times.js';
import {colour, lifetimeMeaning} from '../theme.js';

interface CountdownProps {
	issuedAt: Date | null;
	expiresAt: Date | null;
	now: () => Date;
	width: number;
	stale: boolean;
}

/** The only component that ticks: once a second, so the rest of the tree stays still. */
export function Countdown({issuedAt, expiresAt, now, width, stale}: CountdownProps) {
	const [current, setCurrent] = useState(now);
	useEffect(() => {
		setCurrent(now());
		const timer = setInterval(() => setCurrent(now()), 1000);
		return () => clearInterval(timer);
	}, [now, expiresAt]);

	if (!expiresAt) return <Text color={colour('muted')}>expiry unknown: the source did not say when this token expires</Text>;
	const times = tokenTimes({issuedAt, expiresAt}, current);
	const used = times.usedShare ?? (times.expired ? 1 : 0);
	const barWidth = Math.max(10, width - 34);
	const filled = Math.round(used * barWidth);
	const meaning = times.expired ? 'critical' : lifetimeMeaning(used);
	return (
		<Box>
			<Text color={colour(meaning)} bold>
				{times.expired ? `expired ${formatDuration(times.remainingMs ?? 0)} ago` : `expires in ${formatDuration(times.remainingMs ?? 0)}`}
			</Text>
			<Text> </Text>
			<Text color={colour(meaning)}>{'█'.repeat(filled)}</Text>
			<Text color={colour('muted')}>{'░'.repeat(barWidth - filled)}</Text>
			<Text color={colour('muted')}> {Math.round(used * 100)}% used</Text>
			{stale && <Text color={colour('stale')}> STALE</Text>}
		</Box>
	);
}
