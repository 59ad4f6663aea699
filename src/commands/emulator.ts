import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {TokscopeError} from '../core/errors.js';
import {shellQuote} from '../core/shell-quote.js';
import {realisticFault, startEmulator, type Fault, type ProtectedService} from '../emulator/index.js';
import {emulatorEnvironment} from '../emulator/environment.js';

export interface EmulatorCommandOptions {
	port?: number;
	lifetimeSeconds?: number;
	/** `PATH=STATUS` specs from `--fail`, each making requests whose path contains PATH fail. */
	fail?: string[];
}

/** `tokscope emulator`: runs the local Google in the foreground and prints how to use it from another shell. */
export async function runEmulator(options: EmulatorCommandOptions): Promise<number> {
	const failures = (options.fail ?? []).map(parseFailSpec);
	const emulator = await startEmulator({port: options.port, tokenLifetimeSeconds: options.lifetimeSeconds});
	for (const {match, fault} of failures) emulator.setFault(match, fault);
	const dir = await mkdtemp(join(tmpdir(), 'tokscope-emulator-'));
	const files = await emulator.writeCredentialFiles(dir);
	const env = emulatorEnvironment(emulator, files);
	const {cloudRun, cloudFunction, iap, apiGateway, googleApi, publicService} = emulator.services;
	const row = (label: string, service: ProtectedService, wants: string) => `  ${label.padEnd(16)}${service.url.padEnd(48)}${wants}`;
	process.stdout.write(
		[
			`tokscope emulator: a local stand-in for Google's metadata server, OAuth, IAM Credentials and tokeninfo at ${emulator.url}`,
			`Credential files it issued are in ${dir} (removed when it stops). To use it from another shell:`,
			'',
			...Object.entries(env).map(([name, value]) => `export ${name}=${shellQuote(String(value))}`),
			'',
			'Services behind its front door (try them with `tokscope doctor URL`):',
			row('Cloud Run', cloudRun, `ID token, audience ${cloudRun.audience}`),
			row('Cloud Functions', cloudFunction, `ID token, audience ${cloudFunction.audience}`),
			row('IAP', iap, `ID token with email, audience ${iap.audience}`),
			row('API Gateway', apiGateway, `ID token, audience ${apiGateway.audience}`),
			row('Google API', googleApi, 'access token'),
			row('Public', publicService, 'no token needed'),
			'',
			`Sign in as ${emulator.userEmail}: OAuth client file ${files.oauthClient} (authorization endpoint ${emulator.url}/o/oauth2/v2/auth)`,
			...failures.map(({spec}) => `Failing on purpose: ${spec}`),
			'',
			'Press Ctrl-C to stop.',
			'',
		].join('\n'),
	);
	await new Promise<void>(resolve => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	await emulator.close();
	await rm(dir, {recursive: true, force: true});
	return 0;
}

/**
 * `--fail PATH=STATUS`: requests whose path contains PATH (e.g. `/token`, `:generateIdToken`, `/identity`) are
 * answered with STATUS and the body Google's endpoint would send; `stall` never answers, `drop` cuts the connection.
 */
export function parseFailSpec(spec: string): {spec: string; match: string; fault: Fault} {
	const at = spec.lastIndexOf('=');
	const match = spec.slice(0, Math.max(0, at)).trim();
	const outcome = spec.slice(at + 1).trim().toLowerCase();
	if (at <= 0 || !match || !outcome) {
		throw new TokscopeError(`--fail "${spec}" is not PATH=STATUS.`, {hint: 'For example: --fail /token=500, --fail :generateIdToken=403 or --fail /identity=stall'});
	}
	if (outcome === 'stall') return {spec, match, fault: {stall: true}};
	if (outcome === 'drop') return {spec, match, fault: {drop: true}};
	const status = Number(outcome);
	if (!Number.isInteger(status) || status < 400 || status > 599) {
		throw new TokscopeError(`--fail "${spec}": "${outcome}" is not an HTTP error status (400–599), stall or drop.`);
	}
	return {spec, match, fault: realisticFault(match, status)};
}
