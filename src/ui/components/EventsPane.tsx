import type {RefreshEvent} from '../../session/state.js';
import {windowStart} from '../layout.js';
import {EventLine} from './EventLog.js';
import {PaneFrame} from './Pane.js';

interface EventsPaneProps {
	title: string;
	events: RefreshEvent[];
	/** The selected event; -1 means the newest. */
	selected: number;
	rows: number;
	hint: string;
}

/** The whole event log in a pane, the selected event highlighted and kept in view; enter opens it (use-live-view.ts). */
export function EventsPane({title, events, selected, rows, hint}: EventsPaneProps) {
	const body = Math.max(1, rows - 2);
	const current = selected < 0 ? events.length - 1 : selected;
	const start = windowStart(events.length, body, current, Math.max(0, events.length - body));
	const lines = events
		.slice(start, start + body)
		.map((event, index) => <EventLine key={event.id} event={event} selected={start + index === current} />);
	return <PaneFrame title={title} body={lines} rows={rows} empty="no events yet" footer={`↑/↓ select · enter opens · ${hint}`} />;
}
