import {rmSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {sourceCatalog} from '../sources/catalog.js';
import type {PickerChoice} from '../ui/App.js';
import type {InputValues} from '../ui/screens/Inputs.js';
import type {DemoControls} from '../ui/services.js';

export interface Demo {
	/** The environment every source is given: the variables the tools already honour, pointed at the emulator. */
	env: NodeJS.ProcessEnv;
	banner: string;
	defaults: InputValues;
	/** The picker's lines: every source, each with the emulator's file it needs, plus the credential files ADC can find. */
	choices: PickerChoice[];
	/** The break-it menu and heal, for the live view. */
	controls: DemoControls;
	stop(): Promise<void>;
	/** Removes the credential files at once, synchronously: what a signal handler can still be sure to finish. */
	removeFiles(): void;
}

/** How far the menu's clock skew sets the emulator's clock: enough for verifiers to reject, as a real skew does. */
const skewMinutes = 10;

/** Starts the built-in emulator with credential files for it; process.env is left as it was. */
export async function startDemo(env: NodeJS.ProcessEnv = process.env): Promise<Demo> {
	const {startEmulator, breakageCatalog} = await import('../emulator/index.js');
	const {emulatorEnvironment} = await import('../emulator/environment.js');
	const lifetime = Number(env.TOKSCOPE_DEMO_LIFETIME) || 60;
	const emulator = await startEmulator({tokenLifetimeSeconds: lifetime});
	const dir = await mkdtemp(join(tmpdir(), 'tokscope-demo-'));
	// However the process ends short of a kill: a crash too (writing to a terminal that hung up without a SIGHUP).
	const removeFiles = () => rmSync(dir, {recursive: true, force: true});
	process.on('exit', removeFiles);
	const files = await emulator.writeCredentialFiles(dir);
	const target = `tokscope-target@${emulator.projectId}.iam.gserviceaccount.com`;
	// Each source prefilled with the file it reads: the WIF config for federation, not the service-account key.
	const perSource: Partial<Record<PickerChoice['id'], InputValues>> = {
		'key-file': {keyFile: files.serviceAccountKey},
		external: {keyFile: files.externalAccount},
		impersonate: {impersonate: [target]},
		login: {clientSecret: files.oauthClient},
	};
	const choices: PickerChoice[] = [
		...sourceCatalog.map(entry => ({id: entry.id, label: entry.label, defaults: perSource[entry.id]})),
		{
			id: 'adc',
			label: 'ADC with the demo user’s credential (authorized_user)',
			note: `a user’s refresh token (${files.authorizedUser}): access tokens, but no ID token for any audience`,
			env: {GOOGLE_APPLICATION_CREDENTIALS: files.authorizedUser},
		},
		{
			id: 'adc',
			label: 'ADC with an impersonated_service_account file',
			note: `the demo user acting as ${target} (${files.impersonated})`,
			env: {GOOGLE_APPLICATION_CREDENTIALS: files.impersonated},
		},
	];
	const label = (kind: string) => breakageCatalog.find(entry => entry.kind === kind)?.label ?? kind;
	const menu: DemoControls['menu'] = breakageCatalog.flatMap(entry => {
		if (entry.kind !== 'clock-skew') {
			return [{label: entry.label, explains: entry.explains, apply: () => emulator.breakIt({kind: entry.kind} as never)}];
		}
		return [skewMinutes, -skewMinutes].map(minutes => ({
			label: `${entry.label}: ${minutes > 0 ? '+' : '−'}${Math.abs(minutes)} minutes`,
			explains: entry.explains,
			apply: () => emulator.breakIt({kind: 'clock-skew', seconds: minutes * 60}),
		}));
	});
	return {
		env: {...env, ...emulatorEnvironment(emulator, files), CLOUDSDK_CONFIG: join(dir, 'gcloud')},
		banner: `DEMO: tokens come from the built-in emulator at ${emulator.url}, each living ${lifetime} s, so you will see refreshes.`,
		// The Cloud Run stand-in's URL: an audience the demo's `x` (try it) and `tokscope doctor` can call for real.
		defaults: {
			audience: emulator.services.cloudRun.url,
			keyFile: files.serviceAccountKey,
			clientSecret: files.oauthClient,
			impersonate: [target],
		},
		choices,
		controls: {
			menu,
			heal: () => emulator.heal(),
			broken: () =>
				emulator.broken().map(breakage => {
					return breakage.kind === 'clock-skew' ? `${label(breakage.kind)} (${breakage.seconds / 60} min)` : label(breakage.kind);
				}),
		},
		stop: async () => {
			await emulator.close();
			await rm(dir, {recursive: true, force: true});
			process.off('exit', removeFiles);
		},
		removeFiles,
	};
}
