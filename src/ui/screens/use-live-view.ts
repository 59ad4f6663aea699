import {useInput, type Key} from 'ink';
import {useMemo, useReducer} from 'react';
import {formatError} from '../../core/errors.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import type {TokenSession} from '../../session/driver.js';
import {withToken, type SessionState} from '../../session/state.js';
import type {SignInRecord} from '../../sources/signed-in.js';
import {maxPaneOffset, wrapPane} from '../components/Pane.js';
import {copyPayload, type CopyKind} from '../copy-actions.js';
import {liveCommandFor, splitKeys, type KeyContext, type LiveCommand} from '../keymap.js';
import {chunks} from '../layout.js';
import {paneContent, tokenPane, type PaneContent} from '../panels/live-pane.js';
import {probedAudience} from '../panels/try-it.js';
import type {LiveServices} from '../services.js';
import {audienceNotes, copyCaution, liveWarnings} from './live-facts.js';
import {initialLiveView, liveViewReducer, type LiveViewAction, type Panel} from './live-state.js';
import {useComparison} from './use-comparison.js';
import {useTryIt} from './use-try-it.js';

// The live view's keys: each keymap command (ui/keymap.ts) has one action in the table below, and a pane answers its
// own keys first. The view's state changes only through its reducer (live-state.ts); what a key does to the world
// (copy, refresh, tokeninfo, try it, the demo) is done here, with the services handed in.

/** Copies text and answers with a sentence saying what went where (never the text itself). */
export type Copier = (text: string, what: string) => Promise<string>;

export interface LiveViewOptions {
	session: TokenSession;
	state: SessionState;
	now: () => Date;
	copy: Copier;
	/** Back to the picker; `pendingKeys` are keys that came in the same read after `s` (`s3` picks the third source). */
	onSources: (pendingKeys?: string) => void;
	onQuit: () => void;
	services: LiveServices;
	signIn?: readonly SignInRecord[];
	/** Starts the session over with another audience (the one try it's probe found). */
	onAudience?: (audience: string) => void;
	columns: number;
	rows: number;
}

/** What a command's action is given: the state to read, the view's dispatch, and the effects it may start. */
interface CommandScope {
	rest: string;
	dispatch: (action: LiveViewAction) => void;
	copy: (kind: CopyKind) => void;
	refresh: () => void;
	askTokenInfo: () => void;
	startTryIt: () => void;
	toggle: (panel: Panel) => void;
	options: LiveViewOptions;
	claims: number;
	name: string;
}

/**
 * Every live command, and what it does: a command without an entry here does not type-check. An action returns true
 * when the rest of the read belongs to another screen.
 */
const commandActions: Record<LiveCommand, (scope: CommandScope) => boolean | void> = {
	copyToken: scope => scope.copy('token'),
	copyHeader: scope => scope.copy('header'),
	copyCurl: scope => scope.copy('curl'),
	copyClaims: scope => scope.copy('claims'),
	refresh: scope => scope.refresh(),
	toggleAuto: ({options, dispatch}) => {
		options.session.toggleAuto();
		dispatch({type: 'say', status: `Auto-refresh ${options.state.auto ? 'off' : 'on'}.`});
	},
	switchType: ({options, dispatch}) => {
		options.session.switchType();
		dispatch({type: 'switchedType'});
	},
	reveal: ({dispatch}) => dispatch({type: 'reveal'}),
	details: ({toggle}) => toggle('details'),
	tryIt: scope => scope.startTryIt(),
	tokenInfo: ({dispatch, askTokenInfo}) => {
		dispatch({type: 'show', panel: 'details'});
		askTokenInfo();
	},
	wire: ({toggle}) => toggle('wire'),
	events: ({toggle}) => toggle('events'),
	compare: ({toggle}) => toggle('compare'),
	breakIt: ({toggle}) => toggle('break'),
	heal: ({options, dispatch}) => {
		options.services.demo?.heal();
		dispatch({type: 'say', status: 'Healed: the emulator answers normally again (press r, or wait for the next retry).'});
	},
	selectUp: ({dispatch, claims}) => dispatch({type: 'moveClaim', by: -1, claims}),
	selectDown: ({dispatch, claims}) => dispatch({type: 'moveClaim', by: 1, claims}),
	sources: ({options, rest}) => (options.onSources(rest), true),
	help: ({toggle}) => toggle('help'),
	quit: ({options}) => (options.onQuit(), true),
};

export function useLiveView(options: LiveViewOptions) {
	const {session, state, services, now, columns, rows} = options;
	const [view, dispatch] = useReducer(liveViewReducer, initialLiveView);
	const tryIt = useTryIt(session, services.tryIt);
	const comparison = useComparison(session, services);
	const slot = state.slots[state.active];
	const shown = withToken(slot);
	const name = state.active === 'id' ? 'ID token' : 'access token';
	const context: KeyContext = {refreshes: state.refreshes, demo: Boolean(services.demo), tryIt: Boolean(services.tryIt)};
	const askingUrl = view.panel === 'try' && tryIt.state.status === 'asking';
	const claims = shown?.view.claims ? Object.keys(shown.view.claims).length : 0;
	const forAudience = useMemo(() => audienceNotes(session.request.audience), [session.request.audience]);
	const warnings = liveWarnings(state, forAudience);

	// The rows the main view needs before the claims: whether a revealed token still fits there, or gets a pane.
	const tokenLines = view.revealed && shown ? chunks(terminalSafe(shown.raw.token), columns).length + 1 : 1;
	const fixedRows = 4 + (shown ? 2 : 0);
	const tokenFits = fixedRows + tokenLines <= rows - 1;
	const pane: PaneContent | undefined =
		view.panel === 'main'
			? view.revealed && shown && !tokenFits
				? tokenPane(shown.raw.token, columns)
				: undefined
			: paneContent(view.panel, {
					session: state,
					services,
					signIn: options.signIn,
					warnings,
					tokenInfo: view.tokenInfo,
					selectedEvent: view.selectedEvent,
					tryIt: tryIt.state,
					context,
					now: now(),
					comparison,
					columns,
				});
	const paneLines = pane ? wrapPane(pane.lines, columns) : [];
	const paneBody = Math.max(1, rows - 3);

	const say = (status: string | undefined) => dispatch({type: 'say', status});

	const copy = (kind: CopyKind) => {
		if (!shown) return say(`There is no ${name} to copy yet.`);
		const payload = copyPayload(kind, {
			token: shown.raw.token,
			type: state.active,
			audience: session.request.audience,
			claims: shown.view.claims,
			tokenInfoUrl: services.tokenInfoUrl,
		});
		if (typeof payload === 'string') return say(payload);
		const caution = copyCaution(slot, now());
		options.copy(payload.text, payload.what).then(
			message => say(caution ? `${message.replace(/\.$/, '')} — careful: ${caution}.` : message),
			(error: unknown) => say(formatError(error).message),
		);
	};

	const refresh = () => {
		// Say "Refreshing…" only if it takes a while: a fast refresh should cost one redraw, not two.
		const slow = setTimeout(() => say(`Refreshing the ${name}…`), 150);
		void session.refresh(state.active, 'manual').then(() => {
			clearTimeout(slow);
			say(undefined);
		});
	};

	const askTokenInfo = () => {
		const access = withToken(state.slots.access);
		if (!services.tokenInfo || state.active !== 'access' || !access) return;
		const token = access.raw.token;
		dispatch({type: 'tokenInfo', tokenInfo: {status: 'asking', token}});
		services.tokenInfo(token).then(
			info => dispatch({type: 'tokenInfo', tokenInfo: {status: 'answered', token, info}}),
			(error: unknown) => dispatch({type: 'tokenInfo', tokenInfo: {status: 'failed', token, error: formatError(error).message}}),
		);
	};

	const startTryIt = () => {
		if (!shown) return say(`There is no ${name} to try yet.`);
		tryIt.start(state.active);
		dispatch({type: 'show', panel: 'try'});
	};

	const close = () => {
		if (view.panel === 'try') tryIt.close();
		dispatch({type: 'close'});
	};

	/** Keys a pane answers itself; false lets the key through to the live view's commands. */
	function paneKey(input: string, key: Key): boolean {
		if (!pane) return false;
		if (view.panel === 'events') {
			const newest = state.events.length - 1;
			if (key.upArrow) return (dispatch({type: 'moveEvent', by: -1, newest}), true);
			if (key.downArrow) return (dispatch({type: 'moveEvent', by: 1, newest}), true);
			if (key.pageUp) return (dispatch({type: 'moveEvent', by: -paneBody, newest}), true);
			if (key.pageDown) return (dispatch({type: 'moveEvent', by: paneBody, newest}), true);
			if (key.return && newest >= 0) return (dispatch({type: 'openEvent', newest}), true);
		}
		const most = maxPaneOffset(paneLines.length, rows - 1);
		if (key.escape) return (close(), true);
		if (key.upArrow) return (dispatch({type: 'scroll', by: -1, most}), true);
		if (key.downArrow) return (dispatch({type: 'scroll', by: 1, most}), true);
		if (key.pageUp) return (dispatch({type: 'scroll', by: -paneBody, most}), true);
		if (key.pageDown) return (dispatch({type: 'scroll', by: paneBody, most}), true);
		if (view.panel === 'details' && input === 't') return (askTokenInfo(), true);
		if (view.panel === 'compare' && input === 't') return (comparison.askTokenInfo(), true);
		if (view.panel === 'compare' && input === 'x') return (comparison.callAll(), dispatch({type: 'rewind'}), true);
		if (view.panel === 'try' && !key.ctrl && !key.meta) {
			const found = probedAudience(tryIt.state);
			const {onAudience} = options;
			const useFound =
				found && onAudience
					? () => {
							close();
							say(`The ID token is now minted for ${terminalSafe(found)}.`);
							onAudience(found);
						}
					: undefined;
			const answer = {p: tryIt.probe, x: tryIt.again, u: tryIt.askUrl, m: useFound}[input];
			if (answer) return (answer(), dispatch({type: 'rewind'}), true);
		}
		if (view.panel === 'break' && services.demo && /^[1-9]$/.test(input)) {
			const entry = services.demo.menu[Number(input) - 1];
			if (entry) {
				entry.apply();
				dispatch({type: 'broke', label: entry.label});
			}
			return true;
		}
		return false;
	}

	/** One key; returns true when the rest of the read belongs to another screen. */
	function command(input: string, key: Key, rest: string): boolean {
		if (paneKey(input, key)) return false;
		const chosen = liveCommandFor(input, key, context);
		if (!chosen) return false;
		const toggle = (panel: Panel) => {
			if (panel === 'compare' && view.panel !== 'compare') comparison.open();
			dispatch({type: 'toggle', panel, newestEvent: state.events.length - 1});
		};
		const scope = {rest, dispatch, copy, refresh, askTokenInfo, startTryIt, toggle, options, claims, name};
		return commandActions[chosen](scope) === true;
	}

	useInput(
		(input, key) => {
			const keys = splitKeys(input);
			for (const [index, one] of keys.entries()) {
				if (command(one, key, keys.slice(index + 1).join(''))) return;
			}
		},
		// While a URL is typed for "try it", the keys are the text's, not commands.
		{isActive: !askingUrl},
	);

	return {view, tryIt, askingUrl, close, context, warnings, pane, paneLines, tokenLines, fixedRows, claims, name};
}
