import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {render} from 'ink';
import {App, type AppServices, type Screen} from './App.js';
import {createSource, detectSources} from '../sources/index.js';
import type {SourceOptions} from '../sources/types.js';
import type {ClearPlan, ClipboardMode} from '../clipboard/index.js';

export interface TuiOptions {
	source?: SourceOptions;
	audience?: string;
	scopes?: string[];
	demo: boolean;
	clipboard: ClipboardMode;
	clearClipboardSeconds?: number;
}

const choices: AppServices['choices'] = [
	{id: 'adc', label: 'Application Default Credentials'},
	{id: 'metadata', label: 'Metadata server (GCE, GKE, Cloud Run)'},
	{id: 'key-file', label: 'Service-account key file'},
	{id: 'impersonate', label: 'Impersonate a service account'},
	{id: 'gcloud', label: 'gcloud CLI account'},
	{id: 'external', label: 'Workload identity federation'},
	{id: 'paste', label: 'Paste a token'},
];

/** Starts the built-in emulator and points every source at it through the variables the tools already honour. */
async function startDemo(): Promise<{banner: string; defaults: AppServices['defaults']; stop: () => Promise<void>}> {
	const {startEmulator} = await import('../emulator/index.js');
	const {emulatorEnvironment} = await import('../emulator/environment.js');
	const lifetime = Number(process.env.TOKSCOPE_DEMO_LIFETIME) || 60;
	const emulator = await startEmulator({tokenLifetimeSeconds: lifetime});
	const dir = await mkdtemp(join(tmpdir(), 'tokscope-demo-'));
	const files = await emulator.writeCredentialFiles(dir);
	Object.assign(process.env, emulatorEnvironment(emulator, files), {CLOUDSDK_CONFIG: join(dir, 'gcloud')});
	return {
		banner: `DEMO: tokens come from the built-in emulator at ${emulator.url}, each living ${lifetime} s, so you will see refreshes.`,
		defaults: {audience: 'https://hello-demo-abc123-uc.a.run.app', keyFile: files.serviceAccountKey, impersonate: [`tokscope-target@${emulator.projectId}.iam.gserviceaccount.com`]},
		stop: async () => {
			await emulator.close();
			await rm(dir, {recursive: true, force: true});
		},
	};
}

/** The TUI: returns the exit code once the user quits. */
export async function runTui(options: TuiOptions): Promise<number> {
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		process.stderr.write(
			'tokscope: the live view needs a terminal; for scripts use `tokscope print-access-token`, `tokscope print-identity-token --audiences=URL` or `tokscope inspect`.\n',
		);
		return 2;
	}
	const demo = options.demo ? await startDemo() : undefined;
	// Sources load their modules (and google-auth-library) on first use, after the first frame is on screen;
	// verification loads in the background meanwhile, the clipboard only on the first copy.
	const verifier = import('../verify/verify.js');
	let pendingClear: {plan: ClearPlan; text: string; dueAt: number} | undefined;
	const services: AppServices = {
		choices,
		createSource,
		detectSources: () => detectSources(),
		verify: async token => (await verifier).verifyToken(token),
		copy: async (text, what) => {
			const {copyAndConfirm} = await import('../clipboard/index.js');
			const copied = await copyAndConfirm(text, what, {mode: options.clipboard, clearAfterSeconds: options.clearClipboardSeconds});
			// Only the newest copy can still be on the clipboard: an older clear would find it changed anyway.
			pendingClear?.plan.cancel();
			pendingClear = copied.clear && copied.result.way === 'system' ? {plan: copied.clear, text, dueAt: Date.now() + (options.clearClipboardSeconds ?? 0) * 1000} : undefined;
			return copied.message;
		},
		now: () => new Date(),
		defaults: {audience: options.audience, scopes: options.scopes, ...demo?.defaults},
		banner: demo?.banner,
	};
	const initial: Screen = options.source
		? {name: 'live', options: options.source, request: {audience: options.audience, scopes: options.scopes}}
		: {name: 'sources'};
	const instance = render(<App services={services} initial={initial} />, {
		patchConsole: false,
		exitOnCtrlC: true,
		maxFps: 120,
		incrementalRendering: true,
		// Both ends are terminals (checked above): draw live even where CI=true would make Ink print only the last frame.
		interactive: true,
	});
	try {
		await instance.waitUntilExit();
	} finally {
		await demo?.stop();
		// Quitting right after a copy (to paste the token elsewhere) must not cancel the clear the user asked for.
		if (pendingClear && pendingClear.dueAt > Date.now()) {
			pendingClear.plan.cancel();
			const {clearInBackground} = await import('../clipboard/clear-later.js');
			await clearInBackground(pendingClear.text, (pendingClear.dueAt - Date.now()) / 1000);
		}
	}
	return 0;
}
