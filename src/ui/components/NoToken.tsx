import {Text} from 'ink';
import {formatDuration} from '../../core/times.js';
import type {Slot} from '../../session/state.js';
import {colour} from '../theme.js';
import {useNow, type Ticker} from '../ticker.js';

/** The verdict row when there is no token: what is happening, and when the next attempt is. */
interface NoTokenProps {
	slot: Slot;
	refreshes: boolean;
	ticker: Ticker;
	fetching: boolean;
	name: string;
}

export function NoToken({slot, refreshes, ticker, fetching, name}: NoTokenProps) {
	const now = useNow(ticker);
	if (fetching || slot.status === 'loading' || slot.status === 'idle') {
		return <Text color={colour('muted')}>fetching the {name}…</Text>;
	}
	if (slot.status !== 'failed') return <Text> </Text>;
	const then = slot.retryAt
		? `retrying in ${formatDuration(Math.max(0, slot.retryAt.getTime() - now.getTime()))}`
		: !refreshes || slot.failures === 0
			? ''
			: slot.error.retryable
				? 'auto-refresh off: r tries again'
				: 'not retried: fix it, then press r';
	return (
		<Text wrap="truncate-end">
			<Text color={colour('invalid')} bold>
				✗ no {name}
			</Text>
			{then && <Text color={colour('muted')}> — {then}</Text>}
		</Text>
	);
}
