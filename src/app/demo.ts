import {mkdtempSync, rmSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {credentialFilePaths, impersonationTarget} from '../emulator/credential-paths.js';
import type {AuthorityKeys} from '../emulator/index.js';
import {sourceCatalog} from '../sources/catalog.js';
import type {PickerChoice} from '../ui/App.js';
import type {InputValues} from '../ui/screens/Inputs.js';
import type {DemoControls} from '../ui/services.js';

/**
 * The demo before its emulator starts: what the picker's first frame shows. Everything here is known without the
 * emulator (its files' names, whom they act as), so the picker is drawn first and the emulator starts behind it.
 */
export interface DemoPreview {
	banner: string;
	/** The picker's lines: every source, each with the emulator's file it needs, plus the credential files ADC can find. */
	choices: PickerChoice[];
	/** Starts the emulator (once; later calls get the same demo). */
	start(): Promise<Demo>;
	stop(): Promise<void>;
	/** Removes the credential files at once, synchronously: what a signal handler can still be sure to finish. */
	removeFiles(): void;
}

export interface Demo extends DemoPreview {
	/** The environment every source is given: the variables the tools already honour, pointed at the emulator. */
	env: NodeJS.ProcessEnv;
	defaults: InputValues;
	/** The break-it menu and heal, for the live view. */
	controls: DemoControls;
	/**
	 * Settles once the emulator has made its keys and written its credential files (its servers listen before): what
	 * reads a file or asks for a token waits for this.
	 */
	ready: Promise<void>;
}

/** How far the menu's clock skew sets the emulator's clock: enough for verifiers to reject, as a real skew does. */
const skewMinutes = 10;

const projectId = 'tokscope-demo';

/**
 * The demo's picker, with nothing started but its directory; process.env is left as it was. `keys` lets a test hold
 * the emulator's keys back.
 */
export function prepareDemo(env: NodeJS.ProcessEnv = process.env, keys?: Promise<AuthorityKeys>): DemoPreview {
	const lifetime = Number(env.TOKSCOPE_DEMO_LIFETIME) || 60;
	const dir = mkdtempSync(join(tmpdir(), 'tokscope-demo-'));
	// However the process ends short of a kill: a crash too (writing to a terminal that hung up without a SIGHUP).
	const removeFiles = () => rmSync(dir, {recursive: true, force: true});
	process.on('exit', removeFiles);
	const files = credentialFilePaths(dir);
	const target = impersonationTarget({projectId});
	// Each source prefilled with the file it reads: the WIF config for federation, not the service-account key.
	const perSource: Partial<Record<PickerChoice['id'], InputValues>> = {
		'key-file': {keyFile: files.serviceAccountKey},
		external: {keyFile: files.externalAccount},
		impersonate: {impersonate: [target]},
		login: {clientSecret: files.oauthClient},
	};
	const preview: DemoPreview = {
		banner: `DEMO: tokens from the built-in emulator (no Google account), each living ${lifetime} s`,
		choices: [
			...sourceCatalog.map(entry => ({id: entry.id, label: entry.label, defaults: perSource[entry.id]})),
			{
				id: 'adc',
				label: 'ADC with the demo user’s credential (authorized_user)',
				note: 'a user’s refresh token: access tokens, but no ID token for any audience',
				env: {GOOGLE_APPLICATION_CREDENTIALS: files.authorizedUser},
			},
			{
				id: 'adc',
				label: 'ADC with an impersonated_service_account file',
				note: `the user acting as ${target}`,
				env: {GOOGLE_APPLICATION_CREDENTIALS: files.impersonated},
			},
		],
		start: () => (started ??= startEmulatorFor()),
		stop: async () => {
			// Files still being written would land in a directory removed under them.
			const demo = await started?.catch(() => undefined);
			await demo?.ready.catch(() => {});
			await demo?.close();
			await rm(dir, {recursive: true, force: true});
			process.off('exit', removeFiles);
		},
		removeFiles,
	};
	let started: Promise<Demo & {close(): Promise<void>}> | undefined;

	const startEmulatorFor = async () => {
		const {startEmulator, breakageCatalog, serviceGuide} = await import('../emulator/index.js');
		const {emulatorEnvironment} = await import('../emulator/environment.js');
		const emulator = await startEmulator({tokenLifetimeSeconds: lifetime, projectId, keys});
		const ready = emulator.writeCredentialFiles(dir).then(() => undefined);
		// Nobody may be waiting yet: whoever waits for the files sees a failure.
		ready.catch(() => {});
		const label = (kind: string) => breakageCatalog.find(entry => entry.kind === kind)?.label ?? kind;
		const menu: DemoControls['menu'] = breakageCatalog.flatMap(entry => {
			if (entry.kind !== 'clock-skew') {
				return [{...entry, apply: () => emulator.breakIt({kind: entry.kind} as never)}];
			}
			return [skewMinutes, -skewMinutes].map(minutes => ({
				...entry,
				label: `${entry.label}: ${minutes > 0 ? '+' : '−'}${Math.abs(minutes)} minutes`,
				apply: () => emulator.breakIt({kind: 'clock-skew', seconds: minutes * 60}),
			}));
		});
		return {
			...preview,
			env: {...env, ...emulatorEnvironment(emulator, files), CLOUDSDK_CONFIG: join(dir, 'gcloud')},
			// The Cloud Run stand-in's URL: an audience the demo's `x` (try it) and `tokscope doctor` can call for real.
			defaults: {
				audience: emulator.services.cloudRun.url,
				keyFile: files.serviceAccountKey,
				clientSecret: files.oauthClient,
				impersonate: [target],
			},
			controls: {
				menu,
				services: serviceGuide(emulator.services),
				compareTargets: {
					service: {label: 'Cloud Run', url: emulator.services.cloudRun.url},
					googleApi: {label: 'Google API', url: emulator.services.googleApi.url},
				},
				heal: () => emulator.heal(),
				broken: () =>
					emulator.broken().map(breakage => {
						return breakage.kind === 'clock-skew' ? `${label(breakage.kind)} (${breakage.seconds / 60} min)` : label(breakage.kind);
					}),
			},
			ready,
			close: () => emulator.close(),
		};
	};
	return preview;
}

/** The demo with its emulator started (its keys and files may still be in the making: see `ready`). */
export function startDemo(env: NodeJS.ProcessEnv = process.env, keys?: Promise<AuthorityKeys>): Promise<Demo> {
	return prepareDemo(env, keys).start();
}
