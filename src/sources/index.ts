import {constants} from 'node:fs';
import {access} from 'node:fs/promises';
import {delimiter, join} from 'node:path';
import {TokscopeError} from '../core/errors.js';
import {sourceEntry} from './catalog.js';
import type {SourceBody, SourceId, SourceOptions, TokenSource} from './types.js';

// Every source module is imported on first use (each catalog entry's create): a metadata grab never loads the
// key-file, federation or gcloud code, and the TUI draws its first frame before google-auth-library is read at all.

export {sourceIds, type SourceId, type SourceOptions, type TokenSource} from './types.js';
export {sourceCatalog, sourceEntry, type SourceEntry} from './catalog.js';

/**
 * Builds the source the user picked, from its catalog entry; nothing is read or fetched until it is first asked.
 * A failed build (a missing file, an absent server) is tried again on the next call, so a fix is picked up.
 */
export function createSource(options: SourceOptions): TokenSource {
	const entry = sourceEntry(options.source);
	let built: Promise<SourceBody> | undefined;
	const body = () =>
		(built ??= entry.create(options).catch((error: unknown) => {
			built = undefined;
			throw error;
		}));
	return {
		id: entry.id,
		label: entry.label,
		describe: async () => (await body()).describe(),
		accessToken: async request => (await body()).accessToken(request),
		idToken: async request => (await body()).idToken(request),
	};
}

/** How long the picker waits for any one detection: the metadata probe's 1.5 s, and some room. */
export const detectionDeadlineMs = 2500;

/** A detection's answer, or `fallback` once its deadline passes: each runs on its own, so one that hangs blocks no other. */
function within<T>(work: Promise<T>, fallback: T, ms = detectionDeadlineMs): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<T>(resolve => {
		timer = setTimeout(() => resolve(fallback), ms);
		timer.unref();
	});
	return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** One short line per source on what is there right now, for the picker; each detection is bounded on its own. */
export async function detectSources(env: NodeJS.ProcessEnv = process.env): Promise<Record<SourceId, string>> {
	const [{resolveAdc, describeLink}, {probeMetadata}, {readCredentialFile}] = await Promise.all([import('./adc.js'), import('./metadata.js'), import('./credential-file.js')]);
	const credentials = env.GOOGLE_APPLICATION_CREDENTIALS;
	const silent = 'did not answer in time';
	const [adc, metadata, file, gcloud] = await Promise.all([
		within(
			resolveAdc(env).then(
				resolution => describeLink(resolution),
				(error: Error) => {
					if (!(error instanceof TokscopeError)) return 'could not be read';
					return credentials ? `$GOOGLE_APPLICATION_CREDENTIALS (${credentials}) cannot be used` : 'nothing found';
				},
			),
			silent,
		),
		within(probeMetadata(env).then(probe => ('email' in probe ? `${probe.email} at ${probe.host}` : 'not reachable')), silent),
		within(credentials ? readCredentialFile(credentials).then(f => f.type, () => 'unreadable') : Promise.resolve(undefined), 'unreadable'),
		within(findOnPath('gcloud', env), undefined),
	]);
	return {
		adc,
		metadata: `metadata server: ${metadata}`,
		'key-file': file === 'service_account' ? `key from $GOOGLE_APPLICATION_CREDENTIALS (${credentials})` : 'give the path of a service-account JSON key',
		impersonate: 'act as a service account through IAM Credentials, on top of ADC',
		gcloud: gcloud ? `gcloud CLI at ${gcloud}` : 'gcloud CLI not installed',
		external: file === 'external_account' ? `federation config from $GOOGLE_APPLICATION_CREDENTIALS (${credentials})` : 'give the path of an external_account JSON file',
		login: 'sign in as yourself in a browser, with an OAuth client file from the Cloud Console',
		paste: 'paste any token to decode, verify and watch it',
	};
}

async function findOnPath(command: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
	for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
		const candidate = join(dir, command);
		if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
	}
	return undefined;
}
