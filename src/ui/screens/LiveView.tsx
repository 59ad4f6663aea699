import {Box, Text, useWindowSize} from 'ink';
import {useMemo} from 'react';
import type {TokenSession} from '../../session/driver.js';
import type {SignInRecord} from '../../sources/signed-in.js';
import {AskUrl} from '../components/AskUrl.js';
import {EventsPane} from '../components/EventsPane.js';
import {Footer} from '../components/Help.js';
import {Pane} from '../components/Pane.js';
import {askingWhy, tryItTitle} from '../panels/try-it.js';
import type {LiveServices} from '../services.js';
import {colour} from '../theme.js';
import {createTicker} from '../ticker.js';
import {useSessionState} from '../use-session.js';
import {LiveMain} from './LiveMain.js';
import {useLiveView, type Copier} from './use-live-view.js';

// The live view, drawn: its state is live-state.ts, its keys use-live-view.ts, its panes panels/live-pane.ts and its
// body LiveMain.tsx. This file only picks what covers the screen: the URL to try, a pane, or the body.

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

export function LiveView({session, now, copy, onSources, onQuit, services = {}, signIn, onAudience}: LiveViewProps) {
	const state = useSessionState(session);
	const ticker = useMemo(() => createTicker(now), [now]);
	const {columns, rows} = useWindowSize();
	const live = useLiveView({session, state, now, copy, onSources, onQuit, services, signIn, onAudience, columns, rows});
	const {tryIt, askingUrl, context, warnings, pane, paneLines, tokenLines, fixedRows, claims: claimCount, name} = live;
	const {revealed, panel, offset, selectedClaim, selectedEvent, status} = live.view;
	const {audience} = session.request;

	if (columns < 60 || rows < 16) {
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
					onCancel={live.close}
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

	return (
		<Box flexDirection="column" width={columns}>
			<LiveMain
				state={state}
				sourceLabel={session.source.label}
				ticker={ticker}
				columns={columns}
				rows={rows}
				warnings={warnings}
				tokenLines={tokenLines}
				fixedRows={fixedRows}
				revealed={revealed}
				selectedClaim={selectedClaim}
				claimCount={claimCount}
				status={status}
				name={name}
			/>
			{footer}
		</Box>
	);
}
