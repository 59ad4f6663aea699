import {Box, Text} from 'ink';
import {memo} from 'react';
import {terminalSafe} from '../../core/terminal-safe.js';
import {formatLocalTime} from '../../core/times.js';
import type {RefreshEvent} from '../../session/state.js';
import {colour, dim} from '../theme.js';

/** One event in one line: time, what happened, how long, the new expiry, what changed and the new token's end. */
export function EventLine({event, selected = false}: {event: RefreshEvent; selected?: boolean}) {
	const failed = event.what.endsWith('failed');
	// An opaque token has no claims: a new one "changed" nothing but itself, which its new last characters show.
	const change = event.same ? ' · same token' : event.changed?.length ? ` · changed ${event.changed.join(', ')}` : '';
	return (
		<Text wrap="truncate-end" inverse={selected}>
			<Text dimColor={dim}>{formatLocalTime(event.at).slice(11)} </Text>
			<Text color={failed ? colour('error') : colour('valid')}>
				{event.type === 'id' ? 'ID' : 'access'} {event.what}
			</Text>
			{event.latencyMs !== undefined && <Text dimColor={dim}> in {event.latencyMs} ms</Text>}
			{event.expiresAt && <Text dimColor={dim}>, expires {formatLocalTime(event.expiresAt).slice(11)}</Text>}
			{!failed && event.tail && <Text dimColor={dim}> · …{terminalSafe(event.tail)}</Text>}
			{!failed && change && <Text dimColor={dim}>{change}</Text>}
			{event.detail && <Text> {terminalSafe(event.detail)}</Text>}
		</Text>
	);
}

/** The latest events, newest last; the events pane (e) scrolls through all of them. */
export const EventLog = memo(function EventLog({events, rows}: {events: RefreshEvent[]; rows: number}) {
	const shown = events.slice(-rows);
	return (
		<Box flexDirection="column">
			{shown.map(event => (
				<EventLine key={event.id} event={event} />
			))}
			{shown.length === 0 && rows > 0 && <Text dimColor={dim}>no events yet</Text>}
		</Box>
	);
});
