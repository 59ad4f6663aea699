import {Box, Text} from 'ink';
import {memo} from 'react';
import {formatLocalTime} from '../../core/times.js';
import type {RefreshEvent} from '../session/state.js';
import {colour, dim} from '../theme.js';

/** The latest refresh events, newest last: time, what happened, latency, new expiry. */
export const EventLog = memo(function EventLog({events, rows}: {events: RefreshEvent[]; rows: number}) {
	const shown = events.slice(-rows);
	return (
		<Box flexDirection="column">
			{shown.map(event => (
				<Text key={event.id} wrap="truncate-end">
					<Text dimColor={dim}>{formatLocalTime(event.at).slice(11)} </Text>
					<Text color={event.what === 'refresh failed' ? colour('error') : colour('valid')}>{event.type === 'id' ? 'ID' : 'access'} {event.what}</Text>
					{event.latencyMs !== undefined && <Text dimColor={dim}> in {event.latencyMs} ms</Text>}
					{event.expiresAt && <Text dimColor={dim}>, expires {formatLocalTime(event.expiresAt).slice(11)}</Text>}
					{event.detail && <Text> {event.detail}</Text>}
				</Text>
			))}
			{shown.length === 0 && <Text dimColor={dim}>no events yet</Text>}
		</Box>
	);
});
