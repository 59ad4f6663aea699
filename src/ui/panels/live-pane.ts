import {terminalSafe} from '../../core/terminal-safe.js';
import {withToken, type SessionState} from '../../session/state.js';
import type {SignInRecord} from '../../sources/signed-in.js';
import type {KeyContext} from '../keymap.js';
import {chunks} from '../layout.js';
import type {Panel} from '../screens/live-state.js';
import type {LiveServices} from '../services.js';
import {detailsLines, eventLines, type PaneLine, type TokenInfoState} from './details.js';
import {compareLines, compareTitle, type CompareInput} from './compare.js';
import {breakLines, helpLines, wireLines} from './other.js';
import {signInLines} from './sign-in-wire.js';
import {tryItLines, tryItTitle, type TryItHere, type TryItState} from './try-it.js';

// What each pane of the live view shows, as title and lines, from the state of the session and of the view: built
// before drawing, so a key can clamp the scroll to it. Pure.

export interface PaneContent {
	title: string;
	lines: PaneLine[];
}

export interface PaneInput {
	session: SessionState;
	services: LiveServices;
	/** How the user signed in, when the session began with a sign-in: the wire shows it first. */
	signIn?: readonly SignInRecord[];
	warnings: string[];
	tokenInfo: TokenInfoState;
	selectedEvent: number;
	tryIt: TryItState;
	context: KeyContext;
	now: Date;
	/** The comparison's answers (use-comparison.ts): tokeninfo and the calls made with each token. */
	comparison: Pick<CompareInput, 'tokenInfo' | 'calls' | 'targets' | 'canCall' | 'canAskTokenInfo'>;
	columns: number;
}

const tokenName = (session: SessionState) => (session.active === 'id' ? 'ID token' : 'access token');

export function paneContent(panel: Exclude<Panel, 'main'>, input: PaneInput): PaneContent {
	const {session, services} = input;
	const name = tokenName(session);
	const slot = session.slots[session.active];
	const shown = withToken(slot);
	switch (panel) {
		case 'details':
			return {
				title: `Details — ${name}`,
				lines: detailsLines({
					type: session.active,
					slot,
					info: session.info,
					infoError: session.infoError,
					canAskTokenInfo: Boolean(services.tokenInfo),
					tokenInfo: input.tokenInfo,
					warnings: input.warnings,
					now: input.now,
					refreshes: session.refreshes,
				}),
			};
		case 'wire': {
			// The exchanges made while this token was fetched: from the request to the answer.
			const from = shown && (shown.startedAt ?? new Date(shown.raw.fetchedAt.getTime() - shown.raw.latencyMs));
			const exchanges = shown && from && services.wire ? services.wire.between(from, shown.raw.fetchedAt) : [];
			const own = wireLines(services.wire ? exchanges : undefined, `this ${name}`);
			if (!input.signIn?.length) return {title: `The wire — how this ${name} was fetched`, lines: own};
			const heading = {text: `Then, for this ${name}`, bold: true};
			const lines = [...signInLines(input.signIn), {text: ''}, heading, ...own];
			return {title: `The wire — the sign-in, and how this ${name} was fetched`, lines};
		}
		case 'events':
			return {title: `Events (${session.events.length}, newest last) — enter opens one in full`, lines: []};
		case 'event': {
			const event = session.events[input.selectedEvent];
			return {title: 'Event', lines: event ? eventLines(event) : [{text: 'That event has scrolled out of the log.'}]};
		}
		case 'compare': {
			const {tokenInfo, calls, targets, canCall, canAskTokenInfo} = input.comparison;
			const {slots, idTokenUnavailable, refreshes} = session;
			const given = {slots, idTokenUnavailable, refreshes, tokenInfo, calls, targets};
			return {title: compareTitle(input.columns), lines: compareLines({...given, canCall, canAskTokenInfo, columns: input.columns})};
		}
		case 'help':
			return {title: 'Keys', lines: helpLines(input.context)};
		case 'break':
			return {title: 'Break the demo (the emulator)', lines: services.demo ? breakLines(services.demo) : [{text: 'Only in --demo.'}]};
		case 'try':
			return {title: tryItTitle(input.tryIt), lines: tryItLines(input.tryIt, input.now, tryItHere(session))};
	}
}

/** What try it can offer in keys: the source's own tokens, and whether an ID token is a tab away. */
function tryItHere(session: SessionState): TryItHere {
	const idToken = session.idTokenUnavailable ? 'no-audience' : session.info && session.info.idTokens !== true ? 'cannot-mint' : 'ready';
	return {refreshes: session.refreshes, idToken};
}

/** A revealed token too long to share the screen with the claims gets a pane of its own. */
export function tokenPane(token: string, columns: number): PaneContent {
	const lines = chunks(terminalSafe(token), columns).map(text => ({text}));
	return {title: `The token, revealed (${token.length} chars; v masks it, c copies it)`, lines};
}
