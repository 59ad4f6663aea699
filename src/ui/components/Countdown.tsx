import {Box, Text} from 'ink';
import stringWidth from 'string-width';
import {formatDuration, tokenTimes} from '../../core/times.js';
import {useNow, type Ticker} from '../ticker.js';
import {colour, lifetimeMeaning, type Meaning} from '../theme.js';

export type NextLine = {label: string; at: Date; meaning: Meaning; suffix?: string} | {note: string; meaning: Meaning};

interface CountdownProps {
	issuedAt: Date | null;
	expiresAt: Date | null;
	ticker: Ticker;
	width: number;
	stale: boolean;
	/** The line below the bar: when the next refresh or retry happens, or why there is none. */
	next: NextLine;
}

/**
 * Ticks with the verdict (one shared clock, so one redraw a second); the rest of the tree stays still. Drawn only for
 * a token: with none, the view says what it is doing instead.
 */
export function Countdown({issuedAt, expiresAt, ticker, width, stale, next}: CountdownProps) {
	const current = useNow(ticker);
	const nextLine =
		'at' in next ? (
			<Text color={colour(next.meaning)} wrap="truncate-end">
				{next.label} {formatDuration(Math.max(0, next.at.getTime() - current.getTime()))}
				{next.suffix}
			</Text>
		) : (
			<Text color={colour(next.meaning)} wrap="truncate-end">
				{next.note || ' '}
			</Text>
		);

	if (!expiresAt) {
		return (
			<Box flexDirection="column">
				<Text color={colour('muted')} wrap="truncate-end">
					expiry unknown: the source did not say when this token expires
				</Text>
				{nextLine}
			</Box>
		);
	}
	const times = tokenTimes({issuedAt, expiresAt}, current);
	const used = times.usedShare ?? (times.expired ? 1 : 0);
	const label = times.expired
		? `expired ${formatDuration(times.remainingMs ?? 0)} ago`
		: `expires in ${formatDuration(times.remainingMs ?? 0)}`;
	const after = ` ${Math.round(used * 100)}% used${stale ? ' STALE' : ''}`;
	// The bar takes what the words leave, so "expired 10m 00s ago … 100% used STALE" still ends on the line.
	const barWidth = Math.max(10, Math.min(width - 34, width - stringWidth(label) - stringWidth(after) - 1));
	const filled = Math.round(used * barWidth);
	const meaning = times.expired ? 'critical' : lifetimeMeaning(used);
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				<Text color={colour(meaning)} bold>
					{label}
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
