import {Box, Text, useInput, useWindowSize} from 'ink';
import {useEffect, useEffectEvent, useState} from 'react';
import {formatError} from '../../core/errors.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import type {SignedIn, SignInFlow, SignInStep} from '../../sources/login-flow.js';
import {wrapPane} from '../components/Pane.js';
import {TextField} from '../components/TextField.js';
import {chunks, wrapText} from '../layout.js';
import type {PaneLine} from '../panels/details.js';
import {colour, dim} from '../theme.js';

// The sign-in before the live view: the authorization URL whole, the way back and why, a countdown, and a field for
// the address the browser ended on. The flow itself (server, PKCE, exchange) comes in through `start`.

interface SignInProps {
	label: string;
	start: () => Promise<SignInFlow>;
	now: () => Date;
	/** Copies the URL (OSC 52 over SSH); says how, in one sentence. */
	copy?: (text: string, what: string) => Promise<string>;
	onSignedIn: (user: SignedIn) => void;
	onBack: () => void;
}

type Stage = {name: 'starting'} | {name: 'waiting'; flow: SignInFlow} | {name: 'failed'; error: string; flow?: SignInFlow};

export function SignIn({label, start, now, copy, onSignedIn, onBack}: SignInProps) {
	const [stage, setStage] = useState<Stage>({name: 'starting'});
	const [step, setStep] = useState<SignInStep>('waiting');
	const [problem, setProblem] = useState<string>();
	const [message, setMessage] = useState<string>();
	const [attempt, setAttempt] = useState(0);

	// Once per visit to the screen: the parent hands in a new `start` and `onSignedIn` on each of its renders.
	const begin = useEffectEvent(start);
	const finish = useEffectEvent(onSignedIn);
	useEffect(() => {
		let current: SignInFlow | undefined;
		let gone = false;
		const failed = (error: unknown, flow?: SignInFlow) => !gone && setStage({name: 'failed', error: sentence(error), flow});
		begin().then(flow => {
			current = flow;
			if (gone) return flow.cancel();
			setStage({name: 'waiting', flow});
			flow.onStep(setStep);
			flow.signedIn.then(
				user => !gone && finish(user),
				error => failed(error, flow),
			);
		}, failed);
		// Leaving the screen gives the sign-in up, which closes its loopback server.
		return () => {
			gone = true;
			current?.cancel();
		};
	}, []);

	const {columns, rows} = useWindowSize();
	const flow = stage.name === 'starting' ? undefined : stage.flow;
	useInput((input, key) => {
		if (key.escape) onBack();
		else if (key.ctrl && input === 'o' && flow && copy) {
			void copy(flow.url, 'the sign-in address').then(setMessage, error => setMessage(sentence(error)));
		}
	});

	if (stage.name === 'starting') return <Text>Starting the sign-in…</Text>;
	const {client, url, way, why, redirectUri} = stage.flow ?? {};
	const wrap = (text: string) => wrapText(text, columns);
	const intro =
		way === 'browser'
			? `A browser was asked to open (${why}); if none did, open this address:`
			: `Open this address in a browser on any machine (${why}):`;
	const prompt =
		way === 'browser'
			? `Waiting for the browser to come back to ${redirectUri}; or paste the address it ended on:`
			: `Then paste the address your browser ends on (a page that does not load, ${redirectUri}?code=…), or just the code:`;
	const bottom =
		stage.name === 'failed'
			? wrap(stage.error).length + 1
			: step === 'exchanging'
				? 1
				: wrap(prompt).length + 2 + (problem ? wrap(problem).length : 0);
	const fit = fitSignIn(rows, {
		warnings: (client?.warnings ?? []).flatMap(warning => wrapPane([{text: `⚠ ${terminalSafe(warning)}`, hang: 2}], columns)),
		client: client ? wrap(`client ${terminalSafe(client.clientId)} from ${terminalSafe(client.path)}`) : [],
		url: url ? chunks(url, columns) : [],
		fixed: 1 + (url ? wrap(intro).length + 1 : 0) + bottom + (message ? wrap(message).length : 0),
	});
	const blank = fit.blanks ? <Text> </Text> : null;
	return (
		<Box flexDirection="column" width={columns}>
			<Text bold>{label}</Text>
			{fit.client.map((line, index) => (
				<Text key={`client-${index}`} dimColor={dim}>
					{line}
				</Text>
			))}
			{fit.warnings.map((line, index) => (
				<Text key={`warning-${index}`} color={colour('warning')}>
					{line.text}
				</Text>
			))}
			{blank}
			{url && (
				<>
					{wrap(intro).map((line, index) => (
						<Text key={`intro-${index}`}>{line}</Text>
					))}
					{fit.url.map((line, index) => (
						<Text key={`url-${index}`} color={colour('accent')}>
							{line}
						</Text>
					))}
					<Text dimColor={dim}>{fit.urlCut ? 'ctrl-o copies the whole address (it does not fit here)' : 'ctrl-o copies it'}</Text>
					{blank}
				</>
			)}
			{stage.name === 'failed' ? (
				<>
					<Text color={colour('error')} wrap="wrap">
						{stage.error}
					</Text>
					<Text dimColor={dim}>esc to go back</Text>
				</>
			) : step === 'exchanging' ? (
				<Text wrap="truncate-end">Exchanging the code at {terminalSafe(stage.flow.client.tokenUri)}…</Text>
			) : (
				<>
					<Text wrap="wrap">{prompt}</Text>
					<Box>
						<Text color={colour('accent')}>❯ </Text>
						<TextField
							key={attempt}
							placeholder="http://127.0.0.1:…/?code=…&state=…"
							onSubmit={value => {
								const said = stage.flow.answer(value);
								setProblem(said);
								if (said) setAttempt(count => count + 1);
							}}
						/>
					</Box>
					{problem && (
						<Text color={colour('error')} wrap="wrap">
							{problem}
						</Text>
					)}
					<TimeLeft deadline={stage.flow.deadline} now={now} />
				</>
			)}
			{message && (
				<Text color={colour('muted')} wrap="wrap">
					{message}
				</Text>
			)}
		</Box>
	);
}

/**
 * The screen within the terminal's rows: the warnings are said whole whatever it costs (they say where the secret
 * goes), then the blank lines, the client's line and the URL's lines give way in that order; a cut URL is still
 * copied whole with ctrl-o.
 */
function fitSignIn(rows: number, blocks: {warnings: PaneLine[]; client: string[]; url: string[]; fixed: number}) {
	const {warnings, client, url, fixed} = blocks;
	let over = fixed + warnings.length + 2 + client.length + url.length - rows;
	const blanks = over <= 0;
	if (!blanks) over -= 2;
	const keepClient = over <= 0;
	if (!keepClient) over -= client.length;
	const urlRows = over <= 0 ? url.length : Math.max(1, url.length - over);
	const urlCut = urlRows < url.length;
	const shownUrl = urlCut ? [...url.slice(0, urlRows - 1), `${(url[urlRows - 1] ?? '').slice(0, -1)}…`] : url;
	return {warnings, blanks, client: keepClient ? client : [], url: shownUrl, urlCut};
}

/** The only part that ticks. */
function TimeLeft({deadline, now}: {deadline: Date; now: () => Date}) {
	const [current, setCurrent] = useState(now);
	useEffect(() => {
		const timer = setInterval(() => setCurrent(now()), 1000);
		return () => clearInterval(timer);
	}, [now]);
	const left = Math.max(0, deadline.getTime() - current.getTime());
	const clock = `${Math.floor(left / 60_000)}:${String(Math.floor((left % 60_000) / 1000)).padStart(2, '0')}`;
	return <Text dimColor={dim}>{clock} left · esc gives up</Text>;
}

function sentence(error: unknown): string {
	return formatError(error).message;
}
