import {render, useApp, useInput} from 'ink';
import {useEffect, type ReactNode} from 'react';
import {App, type AppServices, type Screen} from './App.js';

/** How the app ended: `q` (or the picker's esc), Ctrl-C, or `stop` from the caller (a signal). */
export type AppEnding = 'quit' | 'interrupted' | 'stopped';

const interrupted = Symbol('interrupted');

/**
 * Ctrl-C and Ctrl-Z as a terminal program owes them (raw mode turns both into plain keys): Ctrl-C ends the app as
 * interrupted (the caller exits 130), Ctrl-Z or SIGTSTP hands the terminal back (raw mode off, cursor shown, frame
 * erased) and stops the process; `fg` (SIGCONT) takes it back and redraws the whole frame.
 */
function TerminalManners({children}: {children: ReactNode}) {
	const {exit, suspendTerminal} = useApp();
	useEffect(() => {
		let suspended = false;
		const stop = async () => {
			if (suspended) return;
			suspended = true;
			const suspension = await suspendTerminal();
			process.once('SIGCONT', () => {
				suspended = false;
				void suspension.resume();
			});
			// SIGSTOP, not SIGTSTP: our own SIGTSTP handler is this function, and SIGSTOP cannot be caught.
			process.kill(process.pid, 'SIGSTOP');
		};
		const onSuspendSignal = () => void stop();
		process.on('SIGTSTP', onSuspendSignal);
		return () => void process.off('SIGTSTP', onSuspendSignal);
	}, [exit, suspendTerminal]);
	useInput((input, key) => {
		if (!key.ctrl) return;
		if (input === 'c') exit(interrupted);
		else if (input === 'z') process.emit('SIGTSTP', 'SIGTSTP');
	});
	return children;
}

/** Draws the app on the terminal until the user quits or `stop` aborts; the services it shows come from src/app. */
export async function renderApp(
	services: AppServices,
	initial: Screen,
	terminal: {stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream},
	stop?: AbortSignal,
): Promise<AppEnding> {
	const instance = render(
		<TerminalManners>
			<App services={services} initial={initial} />
		</TerminalManners>,
		{
			stdin: terminal.stdin,
			stdout: terminal.stdout,
			stderr: terminal.stderr,
			patchConsole: false,
			// TerminalManners handles Ctrl-C, so the exit can say it was an interrupt.
			exitOnCtrlC: false,
			maxFps: 120,
			incrementalRendering: true,
			// The terminal's alternate screen, as less and vim use: no frame (and no revealed token) ever reaches the
			// scrollback, nothing is left on screen after quitting, and a resize redraws the whole frame from the top.
			alternateScreen: true,
			// Both ends are terminals (src/app checks): draw live even where CI=true would make Ink print only the last frame.
			interactive: true,
		},
	);
	const onStop = () => instance.unmount();
	stop?.addEventListener('abort', onStop, {once: true});
	try {
		const result = await instance.waitUntilExit();
		return stop?.aborted ? 'stopped' : result === interrupted ? 'interrupted' : 'quit';
	} finally {
		stop?.removeEventListener('abort', onStop);
	}
}
