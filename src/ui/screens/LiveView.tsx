import {Box, Text, useInput, useWindowSize} from 'ink';
import {useCallback, useState, type ComponentProps} from 'react';
import {kindLabel} from '../../core/decode.js';
import {maskToken} from '../../core/redact.js';
import {clockSkewWarning} from '../../core/skew.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {ClaimsTable} from '../components/ClaimsTable.js';
import {ComparePanel} from '../components/ComparePanel.js';
import {Countdown} from '../components/Countdown.js';
import {EventLog} from '../components/EventLog.js';
import {Footer, Help} from '../components/Help.js';
import {copyPayload, type CopyKind} from '../copy-actions.js';
import {liveCommandFor} from '../keymap.js';
import type {TokenSession} from '../session/driver.js';
import {withToken, type Slot} from '../session/state.js';
import {useSessionState} from '../session/use-session.js';
import {colour, dim} from '../theme.js';

/** Copies text and answers with a sentence saying what went where (never the text itself). */
export type Copier = (text: string, what: string) => Promise<string>;

interface LiveViewProps {
	session: TokenSession;
	now: () => Date;
	copy: Copier;
	onSources: () => void;
	onQuit: () => void;
}

export function LiveView({session, now, copy, onSources, onQuit}: LiveViewProps) {
	const state = useSessionState(session);
	const [revealed, setRevealed] = useState(false);
	const [help, setHelp] = useState(false);
	const [status, setStatus] = useState<string | undefined>();
	const {columns, rows} = useWindowSize();
	const slot = state.slots[state.active];
	const shown = withToken(slot);
	const name = state.active === 'id' ? 'ID token' : 'access token';

	const copyAction = useCallback(
		(kind: CopyKind) => {
			if (!shown) {
				setStatus(`There is no ${name} to copy yet.`);
				return;
			}
			const payload = copyPayload(kind, shown.raw.token, state.active, session.request.audience, shown.view.claims);
			if (typeof payload === 'string') {
				setStatus(payload);
				return;
			}
			copy(payload.text, payload.what).then(setStatus, (error: Error) => setStatus(terminalSafe(error.message)));
		},
		[shown, state.active, name, session, copy],
	);

	useInput((input, key) => {
		if (help) {
			if (input === '?' || key.escape || input === 'q') setHelp(false);
			return;
		}
		switch (liveCommandFor(input, key)) {
			case 'copyToken':
				return copyAction('token');
			case 'copyHeader':
				return copyAction('header');
			case 'copyCurl':
				return copyAction('curl');
			case 'copyClaims':
				return copyAction('claims');
			case 'refresh': {
				// Say "Refreshing…" only if it takes a while: a fast refresh should cost one redraw, not two.
				const slow = setTimeout(() => setStatus(`Refreshing the ${name}…`), 150);
				void session.refresh(state.active, 'manual').then(() => {
					clearTimeout(slow);
					setStatus(undefined);
				});
				return;
			}
			case 'toggleAuto':
				session.toggleAuto();
				setStatus(`Auto-refresh ${state.auto ? 'off' : 'on'}.`);
				return;
			case 'switchType':
				session.switchType();
				setStatus(undefined);
				return;
			case 'reveal':
				setRevealed(shown => !shown);
				return;
			case 'sources':
				return onSources();
			case 'help':
				return setHelp(true);
			case 'quit':
				return onQuit();
		}
	});

	if (help) return <Help active={state.active} />;
	if (columns < 60 || rows < 16) {
		return <Text color={colour('warning')}>The terminal is {columns}×{rows}; tokscope needs at least 60×16. Enlarge it, or press q.</Text>;
	}

	const view = shown?.view;
	const raw = shown?.raw;
	const verification = view?.verification;
	const verdict = verification ? {valid: '✓ valid', invalid: '✗ invalid', unverified: '? unverified'}[verification.status] : '';
	const tokenLines = revealed && raw ? Math.ceil(raw.token.length / columns) : 1;
	const skew = view && raw ? clockSkewWarning(view, raw.fetchedAt) : undefined;
	const warnings = [...(state.info?.warnings ?? []), ...(raw?.notes ?? []), ...(skew ? [skew] : [])];
	// Everything but the claims takes 16 rows (plus warnings and a revealed token); the claims get the rest.
	const fixed = 16 + warnings.length + tokenLines - 1;
	const claimRows = Math.max(2, rows - fixed);
	const showCompare = rows - fixed - (view?.claims ? Object.keys(view.claims).length : 1) >= 8;

	return (
		<Box flexDirection="column" width={columns}>
			<Text wrap="truncate-end">
				<Text bold>tokscope</Text>
				<Text dimColor={dim}> · </Text>
				<Text>{session.source.label}</Text>
				<Text dimColor={dim}> · </Text>
				<Text color={colour('accent')}>{terminalSafe(state.info?.principal ?? state.info?.origin ?? state.infoError ?? '…')}</Text>
			</Text>
			<Text wrap="truncate-end">
				<Text bold color={colour('accent')}>{state.active === 'id' ? '[ID token]' : ' ID token '}</Text>
				<Text bold color={colour('accent')}>{state.active === 'access' ? '[access token]' : ' access token '}</Text>
				<Text dimColor={dim}> tab switches · </Text>
				{view && <Text>{kindLabel(view.kind)}</Text>}
			</Text>
			<Text wrap="truncate-end">
				<Text color={verification ? colour(verification.status) : undefined}>{verdict}</Text>
				{verification && <Text> {terminalSafe(verification.reason)}</Text>}
				{verification?.issuer && <Text dimColor={dim}> issuer {terminalSafe(verification.issuer)}{verification.google ? '' : ' (not Google)'}</Text>}
			</Text>
			{warnings.map(warning => (
				<Text key={warning} color={colour('warning')} wrap="truncate-end">
					⚠ {terminalSafe(warning)}
				</Text>
			))}
			<Text wrap={revealed ? 'wrap' : 'truncate-end'}>
				<Text dimColor={dim}>token </Text>
				{raw ? (revealed ? raw.token : `${maskToken(raw.token)} — v reveals`) : slot.status === 'loading' ? 'fetching…' : '—'}
			</Text>
			<Countdown
				issuedAt={view?.issuedAt ?? null}
				expiresAt={view?.expiresAt ?? null}
				now={now}
				width={columns}
				stale={slot.status === 'stale'}
				next={nextLine(slot, state.auto)}
			/>
			<Text> </Text>
			{view?.claims ? (
				<ClaimsTable claims={view.claims} maxRows={claimRows} explain={columns >= 70} />
			) : view ? (
				<Text wrap="wrap">
					An opaque access token has no claims to read: only Google knows what it grants. Its scopes: {raw?.scopes?.join(' ') || 'not reported'}.
				</Text>
			) : null}
			{showCompare && (
				<Box marginTop={1}>
					<ComparePanel active={state.active} />
				</Box>
			)}
			<Text> </Text>
			<Text bold>events</Text>
			<EventLog events={state.events} rows={4} />
			<Text color={colour('accent')} wrap="truncate-end">{status ?? ' '}</Text>
			<Footer />
		</Box>
	);
}

/** What comes next for this token, for the line under the countdown. */
function nextLine(slot: Slot, auto: boolean): ComponentProps<typeof Countdown>['next'] {
	if (slot.status === 'stale' || slot.status === 'failed') {
		const error = terminalSafe(slot.error);
		if (!slot.retryAt) return {note: error, meaning: 'error'};
		const suffix = ` — ${slot.status === 'stale' ? 'refresh failed: ' : ''}${error}`;
		return {label: 'retrying in', at: slot.retryAt, meaning: 'error', suffix};
	}
	if (!auto) return {note: 'auto-refresh off (a turns it on)', meaning: 'muted'};
	if (slot.status === 'ready' && slot.nextRefreshAt) return {label: 'next refresh in', at: slot.nextRefreshAt, meaning: 'muted'};
	return {note: '', meaning: 'muted'};
}
