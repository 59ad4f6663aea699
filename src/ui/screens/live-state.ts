import type {TokenInfoState} from '../panels/details.js';

// The live view's own state as data (the session's is session/state.ts): which pane covers the body and how far it is
// scrolled, whether the token is revealed, which claim and which event are selected, what tokeninfo said, and the one
// status line. Pure, so every key's effect is tested as a table without Ink; use-live-view.ts feeds it keys.

/** What covers the live view's body: nothing (main), or one pane. Panes scroll, so none adds a row to the frame. */
export type Panel = 'main' | 'details' | 'wire' | 'events' | 'event' | 'compare' | 'help' | 'break' | 'try';

export interface LiveViewState {
	panel: Panel;
	/** The first line of the pane shown. */
	offset: number;
	revealed: boolean;
	selectedClaim: number;
	/** The event the events pane points at; -1 until one is chosen. */
	selectedEvent: number;
	tokenInfo: TokenInfoState;
	/** What the last key did, in the line under the body. */
	status?: string;
}

export const initialLiveView: LiveViewState = {
	panel: 'main',
	offset: 0,
	revealed: false,
	selectedClaim: 0,
	selectedEvent: -1,
	tokenInfo: {status: 'idle'},
};

export type LiveViewAction =
	/** A pane's own key: opens it, or closes it when it is the one open; the events pane starts at the newest event. */
	| {type: 'toggle'; panel: Panel; newestEvent: number}
	/** Opens a pane whatever is open (t opens the details with tokeninfo's answer, x the try-it pane). */
	| {type: 'show'; panel: Panel}
	/** esc: an opened event goes back to the list, any pane to the main view, and the main view masks the token. */
	| {type: 'close'}
	/** ↑/↓ by one, PgUp/PgDn by a page: never before the first line, nor past the last page. */
	| {type: 'scroll'; by: number; most: number}
	/** ↑/↓ PgUp/PgDn in the events pane: the selected event, within the log. */
	| {type: 'moveEvent'; by: number; newest: number}
	/** enter in the events pane: the selected event in full. */
	| {type: 'openEvent'; newest: number}
	| {type: 'reveal'}
	/** ↑/↓ in the main view: the claim whose explanation shows below the table. */
	| {type: 'moveClaim'; by: number; claims: number}
	/** tab: the other token's claims start at the top, and the last status no longer applies. */
	| {type: 'switchedType'}
	| {type: 'say'; status: string | undefined}
	| {type: 'tokenInfo'; tokenInfo: TokenInfoState}
	/** A demo breakage was applied from the break-it menu: back to the main view, saying so. */
	| {type: 'broke'; label: string}
	/** The try-it pane was asked again (probe, again, another URL): its answer starts at the top. */
	| {type: 'rewind'};

export function liveViewReducer(state: LiveViewState, action: LiveViewAction): LiveViewState {
	switch (action.type) {
		case 'toggle':
			return {
				...state,
				panel: state.panel === action.panel ? 'main' : action.panel,
				offset: 0,
				selectedEvent: action.panel === 'events' ? action.newestEvent : state.selectedEvent,
			};
		case 'show':
			return {...state, panel: action.panel, offset: 0};
		case 'close':
			if (state.panel === 'event') return {...state, panel: 'events', offset: 0};
			if (state.panel === 'main') return {...state, revealed: false, offset: 0};
			return {...state, panel: 'main', offset: 0};
		case 'scroll':
			return {
				...state,
				offset: action.by < 0 ? Math.max(0, state.offset + action.by) : Math.min(action.most, state.offset + action.by),
			};
		case 'moveEvent': {
			const current = state.selectedEvent < 0 ? action.newest : state.selectedEvent;
			const moved = action.by < 0 ? Math.max(0, current + action.by) : Math.min(action.newest, current + action.by);
			return {...state, selectedEvent: moved};
		}
		case 'openEvent': {
			if (action.newest < 0) return state;
			const current = state.selectedEvent < 0 ? action.newest : state.selectedEvent;
			return {...state, selectedEvent: current, panel: 'event', offset: 0};
		}
		case 'reveal':
			return {...state, revealed: !state.revealed, offset: 0};
		case 'moveClaim': {
			const last = Math.max(0, action.claims - 1);
			const selected =
				action.by < 0
					? Math.max(0, Math.min(state.selectedClaim, action.claims - 1) + action.by)
					: Math.min(last, state.selectedClaim + action.by);
			return {...state, selectedClaim: selected};
		}
		case 'switchedType':
			return {...state, selectedClaim: 0, status: undefined};
		case 'say':
			return {...state, status: action.status};
		case 'tokenInfo':
			return {...state, tokenInfo: action.tokenInfo};
		case 'broke':
			return {...state, panel: 'main', status: `Broke it: ${action.label}. The next requests fail; H heals.`};
		case 'rewind':
			return {...state, offset: 0};
	}
}
