import {constants as osConstants} from 'node:os';
import type {ClearPlan, ClipboardMode} from '../clipboard/index.js';
import {googleApiForAnyToken, testIssuersOf, tokenInfoEndpoint} from '../core/google.js';
import {createSource, detectSources, sourceEntry} from '../sources/index.js';
import type {SourceOptions, TokenSource} from '../sources/types.js';
import {screenReducer, type AppServices, type Screen} from '../ui/App.js';
import {renderApp, type AppEnding} from '../ui/render.js';
import type {LiveServices} from '../ui/services.js';
import type {Demo} from './demo.js';
import type {Terminal} from '../io/terminal.js';

// The TUI's composition root: the services the app shows (sources given their environment, verification, the
// clipboard, the clock) are built here, and ui/ only renders them.

export interface TuiOptions {
	source?: SourceOptions;
	audience?: string;
	scopes?: string[];
	demo: boolean;
	clipboard: ClipboardMode;
	clearClipboardSeconds?: number;
	/** --browser / --no-browser for the sign-in source; unset, it chooses by itself. */
	signInWay?: 'browser' | 'paste';
}

/** The TUI: returns the exit code once the user quits. */
export async function runTui(options: TuiOptions, terminal: Terminal): Promise<number> {
	if (!terminal.stdout.isTTY || !terminal.stdin.isTTY) {
		terminal.stderr.write(
			'tokscope: the live view needs a terminal; for scripts use `tokscope print-access-token`, `tokscope ' +
				'print-identity-token --audiences=URL` or `tokscope inspect`.\n',
		);
		return 2;
	}
	const initial = initialScreen(options);
	const preview = options.demo ? (await import('./demo.js')).prepareDemo(terminal.env) : undefined;
	// On the picker the demo's emulator starts once the first frame is on screen (its keys take 100–300 ms of CPU);
	// straight into a source, there is no picker to draw first.
	let afterFirstFrame = () => {};
	const demoStarted =
		preview && (initial.name === 'sources' ? new Promise<void>(go => (afterFirstFrame = go)).then(() => preview.start()) : preview.start());
	demoStarted?.catch(() => {});
	const early =
		initial.name === 'sources'
			? undefined
			: await demoStarted?.catch(async (error: unknown) => {
					await preview?.stop();
					throw error;
				});
	// Whatever reads the demo's files or calls its emulator waits for them: through the environment that names them.
	const envReady = async () => {
		const demo = await demoStarted;
		await demo?.ready;
		return demo?.env ?? terminal.env;
	};
	// Sources load their modules (and google-auth-library) on first use, after the first frame is on screen;
	// verification loads in the background meanwhile, the clipboard only on the first copy.
	const verifier = import('../verify/verify.js');
	const wire = (await import('./wire.js')).startWire();
	let pendingClear: {plan: ClearPlan; text: string; dueAt: number} | undefined;
	// What the command line says wins over the demo's examples (`--demo --audience X` means X).
	const known = (demo: Demo | undefined): Pick<AppServices, 'defaults' | 'live'> => ({
		defaults: {
			...demo?.defaults,
			...(options.audience ? {audience: options.audience} : {}),
			...(options.scopes ? {scopes: options.scopes} : {}),
		},
		live: liveServices(demo?.env ?? terminal.env, wire, demo?.controls),
	});
	const services: AppServices = {
		// A picker line may name its own file (the demo's user credential): its variables go over the environment.
		createSource: picked => sourceOnceReady(picked, envReady),
		detectSources: async () => detectSources(await envReady()),
		verify: async token => (await verifier).verifyToken(token, {testIssuers: testIssuersOf(await envReady())}),
		copy: async (text, what) => {
			const {copyAndConfirm} = await import('../clipboard/index.js');
			const copied = await copyAndConfirm(text, what, {mode: options.clipboard, clearAfterSeconds: options.clearClipboardSeconds});
			// Only the newest copy can still be on the clipboard: an older clear would find it changed anyway.
			pendingClear?.plan.cancel();
			pendingClear =
				copied.clear && copied.result.way === 'system'
					? {plan: copied.clear, text, dueAt: Date.now() + (options.clearClipboardSeconds ?? 0) * 1000}
					: undefined;
			return copied.message;
		},
		signIn: async (picked, scopes) => {
			const env = await envReady();
			const {startSignIn} = await import('../sources/login-flow.js');
			return startSignIn({clientSecret: picked.clientSecret ?? '', scopes, way: options.signInWay, env});
		},
		now: () => new Date(),
		...known(early),
		later: demoStarted && !early ? demoStarted.then(known) : undefined,
		choices: preview?.choices,
		banner: preview?.banner,
	};
	const stop = new AbortController();
	let caught: NodeJS.Signals | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		if (caught) return;
		caught = signal;
		// The demo's directory holds the emulator's private key and a refresh token: gone before anything else can fail
		// (after a hangup, drawing the last frame to a vanished terminal may).
		preview?.removeFiles();
		stop.abort();
	};
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of signals) process.on(signal, onSignal);
	let ending: AppEnding;
	try {
		// Ink draws the first frame before renderApp returns its promise.
		const app = renderApp(services, initial, terminal, stop.signal);
		afterFirstFrame();
		ending = await app;
	} finally {
		wire.stop();
		// The demo's files go before the signal handlers do: a hangup while quitting (q, then the terminal closes) would
		// otherwise end the process with the private key and refresh token still on disk.
		preview?.removeFiles();
		for (const signal of signals) process.off(signal, onSignal);
		await preview?.stop();
		// Quitting right after a copy (to paste the token elsewhere) must not cancel the clear the user asked for.
		if (pendingClear && pendingClear.dueAt > Date.now()) {
			pendingClear.plan.cancel();
			const {clearInBackground} = await import('../clipboard/clear-later.js');
			await clearInBackground(pendingClear.text, (pendingClear.dueAt - Date.now()) / 1000);
		}
	}
	// The conventional statuses: 128 + the signal's number (Ctrl-C is SIGINT's 130, as a shell reports it).
	if (caught) return 128 + (osConstants.signals[caught] ?? 0);
	return ending === 'interrupted' ? 128 + osConstants.signals.SIGINT : 0;
}

/** The source the user picked, built on its first call with the environment once it is ready (the demo's files). */
function sourceOnceReady(picked: SourceOptions, envReady: () => Promise<NodeJS.ProcessEnv>): TokenSource {
	const entry = sourceEntry(picked.source);
	let source: Promise<TokenSource> | undefined;
	const built = () => (source ??= envReady().then(env => createSource({...picked, env: {...env, ...picked.env}})));
	return {
		id: entry.id,
		label: entry.label,
		describe: async () => (await built()).describe(),
		accessToken: async request => (await built()).accessToken(request),
		idToken: async request => (await built()).idToken(request),
	};
}

/** What the live view is handed: the wire, tokeninfo, try it, and in the demo its break-it menu. */
export function liveServices(env: NodeJS.ProcessEnv, wire?: LiveServices['wire'], demo?: LiveServices['demo']): LiveServices {
	return {
		wire,
		tokenInfoUrl: tokenInfoEndpoint(env),
		tokenInfo: async token => {
			const {lookUpTokenInfo} = await import('../verify/tokeninfo.js');
			return lookUpTokenInfo(tokenInfoEndpoint(env), token, 'access_token');
		},
		demo,
		compareTargets: demo?.compareTargets ?? {googleApi: {label: 'Google API', url: googleApiForAnyToken}},
		// "Try it" (x) is doctor's own diagnosis, loaded on first use: the UI shows its report, it never imports commands/.
		tryIt: async request => {
			const [{diagnose}, {networkIo}] = await Promise.all([import('../doctor/diagnose.js'), import('../doctor/network.js')]);
			return diagnose({...request, testIssuers: testIssuersOf(env)}, networkIo);
		},
	};
}

/**
 * Straight into the live view when the command line gave all a source needs; otherwise to its inputs screen
 * (`--source paste` opens the paste field rather than failing for want of a token).
 */
function initialScreen(options: TuiOptions): Screen {
	if (!options.source) return {name: 'sources'};
	const entry = sourceEntry(options.source.source);
	if (entry.inputs.includes('token') && !options.source.token) return {name: 'inputs', choice: {id: entry.id, label: entry.label}};
	// Through the app's own reducer, so a source that signs in first gets its sign-in screen.
	return screenReducer(
		{name: 'sources'},
		{type: 'start', options: options.source, request: {audience: options.audience, scopes: options.scopes}},
	);
}
