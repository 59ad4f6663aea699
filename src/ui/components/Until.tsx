import {Text} from 'ink';
import {useEffect, useState} from 'react';
import {formatDuration} from '../../core/times.js';
import {colour, type Meaning} from '../theme.js';

/** "next refresh in 12s" / "retrying in 3s": a leaf that ticks on its own. */
export function Until({label, at, now, meaning}: {label: string; at: Date; now: () => Date; meaning: Meaning}) {
	const [current, setCurrent] = useState(now);
	useEffect(() => {
		setCurrent(now());
		const timer = setInterval(() => setCurrent(now()), 1000);
		return () => clearInterval(timer);
	}, [now, at]);
	return (
		<Text color={colour(meaning)}>
			{label} {formatDuration(Math.max(0, at.getTime() - current.getTime()))}
		</Text>
	);
}
