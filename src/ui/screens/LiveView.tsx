import {Box, Text, useInput, useWindowSize, type Key} from 'ink';
import {useCallback, useMemo, useState} from 'react';
import {audienceWarnings} from '../../core/audience-check.js';
import {kindLabel} from '../../core/decode.js';
import {maskToken} from '../../core/redact.js';
import {clockSkewWarning} from '../../core/skew.js';
import {formatError} from '../../core/errors.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {formatDuration} from '../../core/times.js';
import {ClaimsTable, claimsWant} from '../components/ClaimsTable.js';
import {Countdown, type NextLine} from '../components/Countdown.js';
import {EventLine, EventLog} from '../components/EventLog.js';
import {Footer} from '../components/Help.js';
import {AskUrl} from '../components/AskUrl.js';
import {maxPaneOffset, Pane, wrapPane} from '../components/Pane.js';
import {Verdict} from '../components/Verdict.js';
import {copyPayload, type CopyKind} from '../copy-actions.js';
import {liveCommandFor, splitKeys, type KeyContext, type LiveCommand} from '../keymap.js';
import {chunks, shareRows, windowStart, wrapText} from '../layout.js';
import {detailsLines, errorLines, eventLines, type PaneLine, type TokenInfoState} from '../panels/details.js';
import {compareLines, compareTitle} from '../panels/compare.js';
import {breakLines, helpLines, wireLines} from '../panels/other.js';
import {signInLines} from '../panels/sign-in-wire.js';
import {askingWhy, probedAudience, tryItLines, tryItTitle, type TryItHere} from '../panels/try-it.js';
import type {SignInRecord} from '../../sources/login-flow.js';
import type {LiveServices} from '../services.js';
import type {TokenSession} from '../session/driver.js';
import {withToken, type SessionState, type Slot} from '../session/state.js';
import {useSessionState} from '../session/use-session.js';
import {colour, dim} from '../theme.js';
import {createTicker, useNow, type Ticker} from '../ticker.js';
import {useComparison} from './use-comparison.js';
import {useTryIt} from './use-try-it.js';

/** Copies text and answers with a sentence saying what went where (never the text itself). */
export type Copier = (text: string, what: string) => Promise<string>;

interface LiveViewProps {
	session: TokenSession;
	now: () => Date;
	copy: Copier;
	/** Back to the picker; `pendingKeys` are keys that came in the same read after `s` (`s3` picks the third source). */
	onSources: (pendingKeys?: string) => void;
	onQuit: () => void;
	services?: LiveServices;
	/** How the user signed in, when this session began with a sign-in: the wire shows it first. */
	signIn?: readonly SignInRecord[];
	/** Starts the session over with another audience (the one try it's probe found). */
	onAudience?: (audience: string) => void;
}

/** What covers the live view's body: nothing (main), or one pane. Panes scroll, so none adds a row to the frame. */
type Panel = 'main' | 'details' | 'wire' | 'events' | 'event' | 'compare' | 'help' | 'break' | 'try';

const panelFor: Partial<Record<LiveCommand, Panel>> = {
	details: 'details',
	wire: 'wire',
	events: 'events',
	compare: 'compare',
	help: 'help',
	breakIt: 'break',
};

export function LiveView({session, now, copy, onSources, onQuit, services = {}, signIn, onAudience}: LiveViewProps) {
	const state = useSessionState(session);
	const ticker = useMemo(() => createTicker(now), [now]);
	const [revealed, setRevealed] = useState(false);
	const [panel, setPanel] = useState<Panel>('main');
	const [offset, setOffset] = useState(0);
	const [selectedClaim, setSelectedClaim] = useState(0);
	const [selectedEvent, setSelectedEvent] = useState(-1);
	const [tokenInfo, setTokenInfo] = useState<TokenInfoState>({status: 'idle'});
	const [status, setStatus] = useState<string | undefined>();
	const {columns, rows} = useWindowSize();
	const slot = state.slots[state.active];
	const shown = withToken(slot);
	const name = state.active === 'id' ? 'ID token' : 'access token';
	const context: KeyContext = {refreshes: state.refreshes, demo: Boolean(services.demo), tryIt: Boolean(services.tryIt)};
	const tryIt = useTryIt(session, services.tryIt);
	const comparison = useComparison(session, services);
	const askingUrl = panel === 'try' && tryIt.state.status === 'asking';
	const claimCount = shown?.view.claims ? Object.keys(shown.view.claims).length : 0;
	const {audience} = session.request;
	const warnings = useWarnings(state, audience);

	const copyAction = useCallback(
		(kind: CopyKind) => {
			if (!shown) {
				setStatus(`There is no ${name} to copy yet.`);
				return;
			}
			const {token} = shown.raw;
			const payload = copyPayload(kind, {
				token,
				type: state.active,
				audience,
				claims: shown.view.claims,
				tokenInfoUrl: services.tokenInfoUrl,
			});
			if (typeof payload === 'string') {
				setStatus(payload);
				return;
			}
			const caution = copyCaution(slot, now());
			copy(payload.text, payload.what).then(
				message => setStatus(caution ? `${message.replace(/\.$/, '')} — careful: ${caution}.` : message),
				(error: unknown) => setStatus(formatError(error).message),
			);
		},
		[shown, slot, state.active, name, audience, copy, now, services.tokenInfoUrl],
	);

	const askTokenInfo = () => {
		const access = withToken(state.slots.access);
		if (!services.tokenInfo || state.active !== 'access' || !access) return;
		const token = access.raw.token;
		setTokenInfo({status: 'asking', token});
		services.tokenInfo(token).then(
			info => setTokenInfo({status: 'answered', token, info}),
			(error: unknown) => setTokenInfo({status: 'failed', token, error: formatError(error).message}),
		);
	};

	// Everything a pane shows, built here so a key can clamp the scroll to it.
	const tokenLines = revealed && shown ? chunks(terminalSafe(shown.raw.token), columns).length + 1 : 1;
	const fixedRows = 4 + (shown ? 2 : 0);
	const tokenFits = fixedRows + tokenLines <= rows - 1;
	const pane = panel === 'main' ? (revealed && shown && !tokenFits ? tokenPane(shown.raw.token, columns) : undefined) : paneFor();
	const paneLines = pane ? wrapPane(pane.lines, columns) : [];
	const paneBody = Math.max(1, rows - 3);

	function paneFor(): {title: string; lines: PaneLine[]} {
		switch (panel) {
			case 'details':
				return {
					title: `Details — ${name}`,
					lines: detailsLines({
						type: state.active,
						slot,
						info: state.info,
						infoError: state.infoError,
						canAskTokenInfo: Boolean(services.tokenInfo),
						tokenInfo,
						warnings,
						now: now(),
						refreshes: state.refreshes,
					}),
				};
			case 'wire': {
				// The exchanges made while this token was fetched: from the request to the answer.
				const from = shown && (shown.startedAt ?? new Date(shown.raw.fetchedAt.getTime() - shown.raw.latencyMs));
				const exchanges = shown && from && services.wire ? services.wire.between(from, shown.raw.fetchedAt) : [];
				const own = wireLines(services.wire ? exchanges : undefined, `this ${name}`);
				if (!signIn?.length) return {title: `The wire — how this ${name} was fetched`, lines: own};
				const heading = {text: `Then, for this ${name}`, bold: true};
				const lines = [...signInLines(signIn), {text: ''}, heading, ...own];
				return {title: `The wire — the sign-in, and how this ${name} was fetched`, lines};
			}
			case 'events':
				return {title: `Events (${state.events.length}, newest last) — enter opens one in full`, lines: []};
			case 'event': {
				const event = state.events[selectedEvent];
				return {title: 'Event', lines: event ? eventLines(event) : [{text: 'That event has scrolled out of the log.'}]};
			}
			case 'compare': {
				const {tokenInfo: info, calls, targets, canCall, canAskTokenInfo} = comparison;
				const {slots, idTokenUnavailable, refreshes} = state;
				const given = {slots, idTokenUnavailable, refreshes, tokenInfo: info, calls, targets};
				const lines = compareLines({...given, canCall, canAskTokenInfo, columns});
				return {title: compareTitle(columns), lines};
			}
			case 'help':
				return {title: 'Keys', lines: helpLines(context)};
			case 'break':
				return {title: 'Break the demo (the emulator)', lines: services.demo ? breakLines(services.demo) : [{text: 'Only in --demo.'}]};
			case 'try':
				return {title: tryItTitle(tryIt.state), lines: tryItLines(tryIt.state, now(), tryItHere(state))};
			case 'main':
				return {title: '', lines: []};
		}
	}

	const closePane = () => {
		if (panel === 'try') tryIt.close();
		if (panel === 'event') setPanel('events');
		else if (panel === 'main') setRevealed(false);
		else setPanel('main');
		setOffset(0);
	};

	/** Keys a pane answers itself; false lets the key through to the live view's commands. */
	function paneKey(input: string, key: Key): boolean {
		if (!pane) return false;
		if (panel === 'events') {
			const last = state.events.length - 1;
			const current = selectedEvent < 0 ? last : selectedEvent;
			if (key.upArrow) return (setSelectedEvent(Math.max(0, current - 1)), true);
			if (key.downArrow) return (setSelectedEvent(Math.min(last, current + 1)), true);
			if (key.pageUp) return (setSelectedEvent(Math.max(0, current - paneBody)), true);
			if (key.pageDown) return (setSelectedEvent(Math.min(last, current + paneBody)), true);
			if (key.return && last >= 0) return (setSelectedEvent(current), setPanel('event'), setOffset(0), true);
		}
		const most = maxPaneOffset(paneLines.length, rows - 1);
		if (key.escape) return (closePane(), true);
		if (key.upArrow) return (setOffset(value => Math.max(0, value - 1)), true);
		if (key.downArrow) return (setOffset(value => Math.min(most, value + 1)), true);
		if (key.pageUp) return (setOffset(value => Math.max(0, value - paneBody)), true);
		if (key.pageDown) return (setOffset(value => Math.min(most, value + paneBody)), true);
		if (panel === 'details' && input === 't') return (askTokenInfo(), true);
		if (panel === 'compare' && input === 't') return (comparison.askTokenInfo(), true);
		if (panel === 'compare' && input === 'x') return (comparison.callAll(), setOffset(0), true);
		if (panel === 'try' && !key.ctrl && !key.meta) {
			const found = probedAudience(tryIt.state);
			const useFound =
				found && onAudience
					? () => {
							closePane();
							setStatus(`The ID token is now minted for ${terminalSafe(found)}.`);
							onAudience(found);
						}
					: undefined;
			const answer = {p: tryIt.probe, x: tryIt.again, u: tryIt.askUrl, m: useFound}[input];
			if (answer) return (answer(), setOffset(0), true);
		}
		if (panel === 'break' && services.demo && /^[1-9]$/.test(input)) {
			const entry = services.demo.menu[Number(input) - 1];
			if (entry) {
				entry.apply();
				setStatus(`Broke it: ${entry.label}. The next requests fail; H heals.`);
				setPanel('main');
			}
			return true;
		}
		return false;
	}

	/** One key; returns true when the rest of the read belongs to another screen. */
	function command(input: string, key: Key, rest: string): boolean {
		if (paneKey(input, key)) return false;
		const chosen = liveCommandFor(input, key, context);
		const opens = chosen && panelFor[chosen];
		if (opens) {
			setPanel(current => (current === opens ? 'main' : opens));
			setOffset(0);
			if (opens === 'events') setSelectedEvent(state.events.length - 1);
			if (opens === 'compare' && panel !== 'compare') comparison.open();
			return false;
		}
		switch (chosen) {
			case 'copyToken':
				copyAction('token');
				break;
			case 'copyHeader':
				copyAction('header');
				break;
			case 'copyCurl':
				copyAction('curl');
				break;
			case 'copyClaims':
				copyAction('claims');
				break;
			case 'refresh': {
				// Say "Refreshing…" only if it takes a while: a fast refresh should cost one redraw, not two.
				const slow = setTimeout(() => setStatus(`Refreshing the ${name}…`), 150);
				void session.refresh(state.active, 'manual').then(() => {
					clearTimeout(slow);
					setStatus(undefined);
				});
				break;
			}
			case 'toggleAuto':
				session.toggleAuto();
				setStatus(`Auto-refresh ${state.auto ? 'off' : 'on'}.`);
				break;
			case 'switchType':
				session.switchType();
				setSelectedClaim(0);
				setStatus(undefined);
				break;
			case 'reveal':
				setRevealed(value => !value);
				setOffset(0);
				break;
			case 'heal':
				services.demo?.heal();
				setStatus('Healed: the emulator answers normally again (press r, or wait for the next retry).');
				break;
			case 'selectUp':
				setSelectedClaim(index => Math.max(0, Math.min(index, claimCount - 1) - 1));
				break;
			case 'selectDown':
				setSelectedClaim(index => Math.min(Math.max(0, claimCount - 1), index + 1));
				break;
			case 'sources':
				onSources(rest);
				return true;
			case 'quit':
				onQuit();
				return true;
			case 'tokenInfo':
				setPanel('details');
				setOffset(0);
				askTokenInfo();
				break;
			case 'tryIt':
				if (!shown) {
					setStatus(`There is no ${name} to try yet.`);
					break;
				}
				tryIt.start(state.active);
				setPanel('try');
				setOffset(0);
				break;
		}
		return false;
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

	const context60 = columns < 60 || rows < 16;
	if (context60) {
		return (
			<Text color={colour('warning')}>
				The terminal is {columns}×{rows}; tokscope needs at least 60×16. Enlarge it, or press q.
			</Text>
		);
	}
	const footer = <Footer context={context} columns={columns} />;

	if (askingUrl && tryIt.state.status === 'asking') {
		return (
			<Box flexDirection="column" width={columns}>
				<AskUrl
					title={tryItTitle(tryIt.state)}
					why={askingWhy(tryIt.state, audience)}
					prefill={tryIt.state.prefill}
					problem={tryIt.state.problem}
					rows={rows - 1}
					columns={columns}
					onSubmit={tryIt.submitUrl}
					onCancel={closePane}
				/>
				{footer}
			</Box>
		);
	}

	if (pane) {
		const closeHint = status ?? (panel === 'main' ? 'v masks the token · c copies it · esc back · q quits' : 'esc back · q quits');
		if (panel === 'events') {
			return (
				<Box flexDirection="column" width={columns}>
					<EventsPane title={pane.title} events={state.events} selected={selectedEvent} rows={rows - 1} hint={closeHint} />
					{footer}
				</Box>
			);
		}
		return (
			<Box flexDirection="column" width={columns}>
				<Pane title={pane.title} lines={paneLines} rows={rows - 1} offset={offset} closeHint={closeHint} />
				{footer}
			</Box>
		);
	}

	const view = shown?.view;
	const raw = shown?.raw;
	const error = slot.status === 'failed' || slot.status === 'stale' ? slot.error : undefined;
	const retryAt = slot.status === 'failed' || slot.status === 'stale' ? slot.retryAt : undefined;
	const errorBlock = error ? wrapPane(errorLines(error, state.refreshes, retryAt, 'counted above'), columns) : [];
	// Each warning wrapped in whole words, its lines under its text: a warning is read whole or said to be in d.
	const warningLines = wrapPane(
		warnings.map(warning => ({text: `⚠ ${terminalSafe(warning)}`, hang: 2})),
		columns,
	).map(line => line.text);
	const opaqueText = 'An opaque access token has no claims to read: only Google knows what it grants (t asks tokeninfo).';
	const opaque = view && !view.claims ? wrapText(`${opaqueText} Its scopes: ${raw?.scopes?.join(' ') || 'not reported'}.`, columns) : [];
	const claimsRows = view?.claims ? claimsWant(view.claims, selectedClaim, columns) : opaque.length;
	const eventsWant = 1 + Math.min(4, Math.max(1, state.events.length));
	// The terminal's rows, shared in this order of priority: what comes first is folded last.
	const [tokenRows, errorRows, warningRows, claimRows, eventRows, gapOne, gapTwo] = shareRows(rows - 1 - fixedRows, [
		{min: tokenLines, want: tokenLines},
		{min: Math.min(2, errorBlock.length), want: errorBlock.length},
		{min: Math.min(1, warningLines.length), want: warningLines.length},
		{min: Math.min(3, claimsRows), want: claimsRows},
		{min: 2, want: eventsWant},
		{min: 0, want: 1},
		{min: 0, want: 1},
	]) as [number, number, number, number, number, number, number];

	return (
		<Box flexDirection="column" width={columns}>
			<Box flexDirection="column" height={rows - 1} overflow="hidden">
				<Text wrap="truncate-end">
					<Text bold>tokscope</Text>
					<Text dimColor={dim}> · </Text>
					<Text color={colour('accent')}>{terminalSafe(state.info?.principal ?? state.info?.origin ?? state.infoError ?? '…')}</Text>
					{state.info?.caller && <Text> ← called by {terminalSafe(state.info.caller)}</Text>}
					<Text dimColor={dim}> · </Text>
					<Text>{session.source.label}</Text>
				</Text>
				<Tabs state={state} kind={view ? kindLabel(view.kind) : undefined} />
				{view ? (
					<Verdict verification={view.verification} expiresAt={view.expiresAt} ticker={ticker} columns={columns} />
				) : (
					<NoToken slot={slot} refreshes={state.refreshes} ticker={ticker} fetching={Boolean(state.requests[state.active])} name={name} />
				)}
				{fitted(warningLines, warningRows, () => '⚠ … d shows every warning in full').map((line, index) => (
					<Text key={`warning-${index}`} color={colour('warning')} wrap="truncate-end">
						{line}
					</Text>
				))}
				{tokenRows > 0 && <TokenLine raw={raw?.token} revealed={revealed} columns={columns} loading={slot.status === 'loading'} />}
				{view && (
					<Countdown
						issuedAt={view.issuedAt}
						expiresAt={view.expiresAt}
						ticker={ticker}
						width={columns}
						stale={slot.status === 'stale'}
						next={nextLine(state, slot)}
					/>
				)}
				{fitted(
					errorBlock.map(line => line.text),
					errorRows,
					() => '  … d shows the whole error and its fix',
				).map((text, index) => {
					const meaning = text === errorBlock[index]?.text ? errorBlock[index]?.meaning : undefined;
					return (
						<Text key={`error-${index}`} color={meaning ? colour(meaning) : undefined} wrap="truncate-end">
							{text}
						</Text>
					);
				})}
				{gapOne > 0 && <Text> </Text>}
				{view?.claims
					? claimRows > 0 && (
							<ClaimsTable claims={view.claims} selected={Math.min(selectedClaim, claimCount - 1)} rows={claimRows} columns={columns} />
						)
					: opaque.slice(0, claimRows).map((line, index) => <Text key={`opaque-${index}`}>{line}</Text>)}
				{gapTwo > 0 && <Text> </Text>}
				{eventRows > 0 && (
					<Text bold wrap="truncate-end">
						events <Text dimColor={dim}>(e shows them all)</Text>
					</Text>
				)}
				{eventRows > 1 && <EventLog events={state.events} rows={eventRows - 1} />}
				<Text color={colour('accent')} wrap="truncate-end">
					{status ?? ' '}
				</Text>
			</Box>
			{footer}
		</Box>
	);
}

/** The warnings that stay on screen: the source's, the token's, the clock's, and the audience's own. */
function useWarnings(state: SessionState, audience: string | undefined): string[] {
	const slot = withToken(state.slots[state.active]);
	const skew = slot ? clockSkewWarning(slot.view, slot.raw.fetchedAt) : undefined;
	const forAudience = useMemo(() => (audience ? audienceWarnings(audience).map(warning => `audience: ${warning}`) : []), [audience]);
	const fromSource = [...(state.info?.warnings ?? []), ...(slot?.raw.notes ?? [])];
	return [...fromSource, ...(skew ? [skew] : []), ...(state.active === 'id' ? forAudience : [])];
}

/** What try it can offer in keys: the source's own tokens, and whether an ID token is a tab away. */
function tryItHere(state: SessionState): TryItHere {
	const idToken = state.idTokenUnavailable ? 'no-audience' : state.info && state.info.idTokens !== true ? 'cannot-mint' : 'ready';
	return {refreshes: state.refreshes, idToken};
}

/** Up to `rows` of the lines; when some do not fit, the last row says so. */
function fitted(lines: string[], rows: number, more: (count: number) => string): string[] {
	if (lines.length <= rows) return lines;
	if (rows <= 0) return [];
	return [...lines.slice(0, rows - 1), more(lines.length - rows + 1)];
}

/** Why copying this token may not give what the user expects. */
function copyCaution(slot: Slot, now: Date): string | undefined {
	const token = withToken(slot);
	if (!token) return undefined;
	const expiresAt = token.view.expiresAt;
	if (expiresAt && expiresAt.getTime() <= now.getTime()) {
		return `it expired ${formatDuration(now.getTime() - expiresAt.getTime())} ago and will be rejected`;
	}
	if (slot.status === 'stale') return 'it is stale (the last refresh failed)';
	return undefined;
}

function Tabs({state, kind}: {state: SessionState; kind: string | undefined}) {
	if (!state.refreshes) {
		return (
			<Text wrap="truncate-end">
				<Text bold color={colour('accent')}>
					[{state.active === 'id' ? 'ID token' : 'access token'}]
				</Text>
				<Text dimColor={dim}> pasted: shown as it is, never refreshed · </Text>
				{kind && <Text>{kind}</Text>}
			</Text>
		);
	}
	return (
		<Text wrap="truncate-end">
			<Text bold color={colour('accent')}>
				{state.active === 'id' ? '[ID token]' : ' ID token '}
			</Text>
			<Text bold color={colour('accent')}>
				{state.active === 'access' ? '[access token]' : ' access token '}
			</Text>
			<Text dimColor={dim}> tab switches · </Text>
			{kind && <Text>{kind}</Text>}
		</Text>
	);
}

/** The revealed token as whole lines of the terminal's width, so its height is known before it is drawn. */
function TokenLine({raw, revealed, columns, loading}: {raw: string | undefined; revealed: boolean; columns: number; loading: boolean}) {
	if (raw && revealed) {
		return (
			<Box flexDirection="column">
				<Text dimColor={dim} wrap="truncate-end">
					token (revealed, {raw.length} chars — v masks it):
				</Text>
				{/* Tokens are checked for their shape before they get here; made terminal-safe anyway, as cheap insurance. */}
				{chunks(terminalSafe(raw), columns).map((line, index) => (
					<Text key={index} wrap="truncate-end">
						{line}
					</Text>
				))}
			</Box>
		);
	}
	return (
		<Text wrap="truncate-end">
			<Text dimColor={dim}>token </Text>
			{raw ? `${maskToken(raw)} — v reveals` : loading ? 'fetching…' : '—'}
		</Text>
	);
}

function tokenPane(token: string, columns: number): {title: string; lines: PaneLine[]} {
	const lines = chunks(terminalSafe(token), columns).map(text => ({text}));
	return {title: `The token, revealed (${token.length} chars; v masks it, c copies it)`, lines};
}

/** The verdict row when there is no token: what is happening, and when the next attempt is. */
interface NoTokenProps {
	slot: Slot;
	refreshes: boolean;
	ticker: Ticker;
	fetching: boolean;
	name: string;
}

function NoToken({slot, refreshes, ticker, fetching, name}: NoTokenProps) {
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

/** What comes next for this token, for the line under the countdown. */
function nextLine(state: SessionState, slot: Slot): NextLine {
	if (state.requests[state.active]) return {note: `${slot.status === 'stale' ? 'retrying' : 'refreshing'} now…`, meaning: 'muted'};
	if (!state.refreshes) return {note: 'pasted: never refreshed (paste a new one with s when it expires)', meaning: 'muted'};
	if (slot.status === 'stale') {
		if (slot.retryAt) return {label: 'refresh failed (below) — retrying in', at: slot.retryAt, meaning: 'error'};
		const note = slot.error.retryable
			? 'refresh failed (below); auto-refresh off: r tries again'
			: 'refresh failed (below): not retried — fix it, then press r';
		return {note, meaning: 'error'};
	}
	if (!state.auto) return {note: 'auto-refresh off (a turns it on)', meaning: 'muted'};
	if (slot.status === 'ready' && slot.nextRefreshAt) return {label: 'next refresh in', at: slot.nextRefreshAt, meaning: 'muted'};
	return {note: '', meaning: 'muted'};
}

interface EventsPaneProps {
	title: string;
	events: SessionState['events'];
	selected: number;
	rows: number;
	hint: string;
}

function EventsPane({title, events, selected, rows, hint}: EventsPaneProps) {
	const body = Math.max(1, rows - 2);
	const current = selected < 0 ? events.length - 1 : selected;
	const start = windowStart(events.length, body, current, Math.max(0, events.length - body));
	const shown = events.slice(start, start + body);
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">
				{title}
			</Text>
			{shown.map((event, index) => (
				<EventLine key={event.id} event={event} selected={start + index === current} />
			))}
			{Array.from({length: body - shown.length}, (_, index) => (
				<Text key={`pad-${index}`}>{index === 0 && events.length === 0 ? 'no events yet' : ' '}</Text>
			))}
			<Text dimColor={dim} wrap="truncate-end">
				↑/↓ select · enter opens · {hint}
			</Text>
		</Box>
	);
}
