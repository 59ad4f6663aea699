import {describe, expect, it} from 'vitest';
import {initialLiveView, liveViewReducer, type LiveViewAction, type LiveViewState} from '../../../src/ui/screens/live-state.js';

// The live view's keys as a table of states: each row is where the view was, what happened, and where it is then.

const at = (changes: Partial<LiveViewState> = {}): LiveViewState => ({...initialLiveView, ...changes});

const table: Array<[string, LiveViewState, LiveViewAction, Partial<LiveViewState>]> = [
	['d opens the details at the top', at({offset: 7}), {type: 'toggle', panel: 'details', newestEvent: 4}, {panel: 'details', offset: 0}],
	[
		'd again closes them',
		at({panel: 'details', offset: 3}),
		{type: 'toggle', panel: 'details', newestEvent: 4},
		{panel: 'main', offset: 0},
	],
	['w from the details opens the wire instead', at({panel: 'details'}), {type: 'toggle', panel: 'wire', newestEvent: 4}, {panel: 'wire'}],
	[
		'e opens the log at its newest event',
		at({selectedEvent: 1}),
		{type: 'toggle', panel: 'events', newestEvent: 4},
		{panel: 'events', selectedEvent: 4},
	],
	[
		't shows the details even when they are open',
		at({panel: 'details', offset: 5}),
		{type: 'show', panel: 'details'},
		{panel: 'details', offset: 0},
	],
	['esc on an opened event goes back to the log', at({panel: 'event', offset: 2}), {type: 'close'}, {panel: 'events', offset: 0}],
	['esc on a pane goes back to the main view', at({panel: 'wire', offset: 9}), {type: 'close'}, {panel: 'main', offset: 0}],
	['esc on the main view masks the token', at({revealed: true}), {type: 'close'}, {panel: 'main', revealed: false}],
	['↓ scrolls a line', at({offset: 2}), {type: 'scroll', by: 1, most: 10}, {offset: 3}],
	['PgDn stops at the last page', at({offset: 8}), {type: 'scroll', by: 20, most: 10}, {offset: 10}],
	['PgUp stops at the first line', at({offset: 3}), {type: 'scroll', by: -20, most: 10}, {offset: 0}],
	['↑ in the log from the newest', at({selectedEvent: -1}), {type: 'moveEvent', by: -1, newest: 4}, {selectedEvent: 3}],
	['↓ in the log stops at the newest', at({selectedEvent: 4}), {type: 'moveEvent', by: 1, newest: 4}, {selectedEvent: 4}],
	['PgUp in the log stops at the oldest', at({selectedEvent: 2}), {type: 'moveEvent', by: -20, newest: 4}, {selectedEvent: 0}],
	[
		'enter opens the selected event',
		at({panel: 'events', selectedEvent: 2, offset: 1}),
		{type: 'openEvent', newest: 4},
		{panel: 'event', selectedEvent: 2, offset: 0},
	],
	[
		'enter with no event selected opens the newest',
		at({panel: 'events'}),
		{type: 'openEvent', newest: 4},
		{panel: 'event', selectedEvent: 4},
	],
	['enter on an empty log does nothing', at({panel: 'events'}), {type: 'openEvent', newest: -1}, {panel: 'events', selectedEvent: -1}],
	['v reveals, and the pane it may need starts at the top', at({offset: 4}), {type: 'reveal'}, {revealed: true, offset: 0}],
	['v again masks', at({revealed: true}), {type: 'reveal'}, {revealed: false}],
	['↓ selects the next claim', at({selectedClaim: 1}), {type: 'moveClaim', by: 1, claims: 5}, {selectedClaim: 2}],
	['↓ stops at the last claim', at({selectedClaim: 4}), {type: 'moveClaim', by: 1, claims: 5}, {selectedClaim: 4}],
	[
		'↑ from past the end (fewer claims now) lands on the one before the last',
		at({selectedClaim: 9}),
		{type: 'moveClaim', by: -1, claims: 5},
		{selectedClaim: 3},
	],
	['↑ stops at the first claim', at({selectedClaim: 0}), {type: 'moveClaim', by: -1, claims: 5}, {selectedClaim: 0}],
	[
		'tab starts the other token’s claims at the top and clears the status',
		at({selectedClaim: 3, status: 'Copied.'}),
		{type: 'switchedType'},
		{selectedClaim: 0, status: undefined},
	],
	['a key says what it did', at(), {type: 'say', status: 'Auto-refresh off.'}, {status: 'Auto-refresh off.'}],
	[
		'tokeninfo’s answer is kept',
		at(),
		{type: 'tokenInfo', tokenInfo: {status: 'asking', token: 'ya29.x'}},
		{tokenInfo: {status: 'asking', token: 'ya29.x'}},
	],
	[
		'a breakage closes the menu and says how to heal',
		at({panel: 'break'}),
		{type: 'broke', label: 'Token endpoint 500'},
		{panel: 'main', status: 'Broke it: Token endpoint 500. The next requests fail; H heals.'},
	],
	['try it asked again starts its answer at the top', at({panel: 'try', offset: 6}), {type: 'rewind'}, {panel: 'try', offset: 0}],
];

describe('the live view’s state, key by key', () => {
	it.each(table)('%s', (_name, before, action, after) => {
		expect(liveViewReducer(before, action)).toEqual({...before, ...after});
	});

	it('starts on the main view, the token masked, nothing selected or said', () => {
		expect(initialLiveView).toEqual({
			panel: 'main',
			offset: 0,
			revealed: false,
			selectedClaim: 0,
			selectedEvent: -1,
			tokenInfo: {status: 'idle'},
		});
	});
});
