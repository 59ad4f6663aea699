import {render} from 'ink';
import {App, type AppServices, type Screen} from './App.js';

/** Draws the app on the terminal until the user quits; the services it shows come from src/app. */
export async function renderApp(services: AppServices, initial: Screen): Promise<void> {
	const instance = render(<App services={services} initial={initial} />, {
		patchConsole: false,
		exitOnCtrlC: true,
		maxFps: 120,
		incrementalRendering: true,
		// The terminal's alternate screen, as less and vim use: no frame (and no revealed token) ever reaches the
		// scrollback, nothing is left on screen after quitting, and a resize redraws the whole frame from the top.
		alternateScreen: true,
		// Both ends are terminals (src/app checks): draw live even where CI=true would make Ink print only the last frame.
		interactive: true,
	});
	await instance.waitUntilExit();
}
