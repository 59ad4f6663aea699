import {Box, Text} from 'ink';
import {kindLabel} from '../../core/decode.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {withToken, type SessionState} from '../../session/state.js';
import {ClaimsTable, claimsWant} from '../components/ClaimsTable.js';
import {Countdown} from '../components/Countdown.js';
import {EventLog} from '../components/EventLog.js';
import {NoToken} from '../components/NoToken.js';
import {wrapPane} from '../components/Pane.js';
import {Tabs} from '../components/Tabs.js';
import {TokenLine} from '../components/TokenLine.js';
import {Verdict} from '../components/Verdict.js';
import {shareRows, wrapText} from '../layout.js';
import {errorLines} from '../panels/details.js';
import {colour, dim} from '../theme.js';
import type {Ticker} from '../ticker.js';
import {fitted, nextLine} from './live-facts.js';

interface LiveMainProps {
	state: SessionState;
	sourceLabel: string;
	ticker: Ticker;
	columns: number;
	/** The terminal's rows, the footer's included. */
	rows: number;
	warnings: string[];
	/** Rows the token line takes (revealed: its lines and a label). */
	tokenLines: number;
	/** Rows that are always drawn: the header, the tabs, the verdict, the status line (and the countdown with a token). */
	fixedRows: number;
	revealed: boolean;
	selectedClaim: number;
	claimCount: number;
	status: string | undefined;
	name: string;
}

/**
 * The live view's body when no pane covers it: who and what, the verdict, the warnings, the token, the countdown, the
 * error, the claims and the events. The terminal's rows are shared out in that order of priority.
 */
export function LiveMain(props: LiveMainProps) {
	const {state, sourceLabel, ticker, columns, rows, warnings, tokenLines, fixedRows, revealed, selectedClaim, claimCount, status, name} =
		props;
	const slot = state.slots[state.active];
	const shown = withToken(slot);
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
		<Box flexDirection="column" height={rows - 1} overflow="hidden">
			<Text wrap="truncate-end">
				<Text bold>tokscope</Text>
				<Text dimColor={dim}> · </Text>
				<Text color={colour('accent')}>{terminalSafe(state.info?.principal ?? state.info?.origin ?? state.infoError ?? '…')}</Text>
				{state.info?.caller && <Text> ← called by {terminalSafe(state.info.caller)}</Text>}
				<Text dimColor={dim}> · </Text>
				<Text>{sourceLabel}</Text>
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
	);
}
