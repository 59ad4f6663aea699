import {constants} from 'node:fs';
import {access} from 'node:fs/promises';
import {delimiter, join} from 'node:path';
import {TokscopeError} from '../core/errors.js';
import type {AdcResolution} from './adc.js';
import type {CredentialTokens} from './credential-tokens.js';
import {tokenSourceOf} from './file-source.js';
import {bypassProxyForLocalHosts} from './quiet.js';
import type {SourceId, SourceOptions, TokenSource} from './types.js';

// Every source module is imported on first use: a metadata grab never loads the key-file, federation or gcloud code,
// and the TUI draws its first frame before google-auth-library is read at all.

export {sourceIds, type SourceId, type SourceOptions, type TokenSource} from './types.js';

export const sourceLabels: Record<SourceId, string> = {
	adc: 'Application Default Credentials',
	metadata: 'Metadata server (GCE, GKE, Cloud Run)',
	'key-file': 'Service-account key file',
	impersonate: 'Impersonate a service account',
	gcloud: 'gcloud CLI account',
	external: 'Workload identity federation',
	paste: 'Paste a token',
};

async function adcTokens(env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<{tokens: CredentialTokens; resolution: AdcResolution}> {
	const {resolveAdc} = await import('./adc.js');
	const resolution = await resolveAdc(env);
	if (resolution.link === 'metadata') {
		const {metadataTokens} = await import('./metadata.js');
		return {tokens: metadataTokens(env, resolution.email, timeoutMs, resolution.projectId), resolution};
	}
	const {credentialTokens} = await import('./credential-tokens.js');
	return {tokens: credentialTokens(resolution.file, env, timeoutMs), resolution};
}

async function adcInfo(resolution: AdcResolution) {
	const {describeLink} = await import('./adc.js');
	const details = resolution.skipped.map(reason => `Skipped: ${reason}.`);
	if (resolution.link !== 'metadata' && resolution.file.type.startsWith('external_account')) {
		const {subjectTokenOrigin} = await import('./external.js');
		details.push(`Federation: ${subjectTokenOrigin(resolution.file.json)}.`);
	}
	return {
		origin: describeLink(resolution),
		details,
		warnings: [],
		credentialType: resolution.link === 'metadata' ? undefined : resolution.file.type,
	};
}

/** A source whose module loads on first use, for the sources that are not built from credential tokens. */
function lazySource(id: SourceId, load: () => Promise<TokenSource>): TokenSource {
	let loaded: Promise<TokenSource> | undefined;
	const get = () => (loaded ??= load());
	return {
		id,
		label: sourceLabels[id],
		describe: async () => (await get()).describe(),
		accessToken: async request => (await get()).accessToken(request),
		idToken: async request => (await get()).idToken(request),
	};
}

/** Builds the source the user picked; nothing is read or fetched until it is first asked for a token. */
export function createSource(options: SourceOptions): TokenSource {
	const env = options.env ?? process.env;
	const {timeoutMs} = options;
	bypassProxyForLocalHosts();
	switch (options.source) {
		case 'adc':
			return tokenSourceOf('adc', sourceLabels.adc, async () => {
				const {tokens, resolution} = await adcTokens(env, timeoutMs);
				return {tokens, info: await adcInfo(resolution)};
			});
		case 'metadata':
			return tokenSourceOf('metadata', sourceLabels.metadata, async () => {
				const {probeMetadata, metadataTokens} = await import('./metadata.js');
				const probe = await probeMetadata(env);
				if ('absent' in probe) throw new TokscopeError(`The metadata server is not reachable: ${probe.absent}.`, {hint: 'Set GCE_METADATA_HOST if it lives elsewhere.'});
				return {tokens: metadataTokens(env, probe.email, timeoutMs, probe.projectId), info: {origin: `the metadata server at ${probe.host}`, details: [], warnings: []}};
			});
		case 'key-file':
		case 'external':
			return tokenSourceOf(options.source, sourceLabels[options.source], async () => {
				const path = options.keyFile ?? env.GOOGLE_APPLICATION_CREDENTIALS;
				if (!path) throw new TokscopeError(`The ${options.source} source needs a credential file: pass --key-file PATH.`);
				const {readCredentialFile} = await import('./credential-file.js');
				const file = await readCredentialFile(path);
				const expected = options.source === 'key-file' ? ['service_account'] : ['external_account', 'external_account_authorized_user'];
				if (!expected.includes(file.type)) throw new TokscopeError(`${path} is ${/^[aeiou]/.test(file.type) ? 'an' : 'a'} ${file.type} file, not ${expected.join(' or ')}; pick the ${file.type === 'service_account' ? 'key-file' : 'adc'} source for it.`);
				const {credentialTokens} = await import('./credential-tokens.js');
				const details: string[] = [];
				if (file.type === 'external_account') details.push(`Federation: ${(await import('./external.js')).subjectTokenOrigin(file.json)}.`);
				const origin = `${file.type} file ${path}${options.keyFile ? '' : ' (from $GOOGLE_APPLICATION_CREDENTIALS)'}`;
				return {tokens: credentialTokens(file, env, timeoutMs), info: {origin, details, warnings: [], credentialType: file.type}};
			});
		case 'impersonate':
			return tokenSourceOf('impersonate', sourceLabels.impersonate, async () => {
				const {impersonationChain, impersonationOrigin, impersonationTokens} = await import('./impersonate.js');
				const chain = impersonationChain(options.impersonate ?? [], env);
				const {tokens: caller, resolution} = await adcTokens(env, timeoutMs);
				const info = await adcInfo(resolution);
				return {
					tokens: impersonationTokens(caller, chain, [], timeoutMs),
					info: {...info, origin: impersonationOrigin(chain, caller.principal, info.origin)},
				};
			});
		case 'gcloud':
			return lazySource('gcloud', async () => (await import('./gcloud.js')).gcloudSource(env, timeoutMs));
		case 'paste':
			return lazySource('paste', async () => (await import('./paste.js')).pasteSource(options.token));
	}
}

/** One short line per source on what is there right now, for the picker; bounded by the metadata probe (1.5 s). */
export async function detectSources(env: NodeJS.ProcessEnv = process.env): Promise<Record<SourceId, string>> {
	const [{resolveAdc, describeLink}, {probeMetadata}, {readCredentialFile}] = await Promise.all([import('./adc.js'), import('./metadata.js'), import('./credential-file.js')]);
	const credentials = env.GOOGLE_APPLICATION_CREDENTIALS;
	const [adc, metadata, file, gcloud] = await Promise.all([
		resolveAdc(env).then(
			resolution => describeLink(resolution),
			(error: Error) => {
				if (!(error instanceof TokscopeError)) return 'could not be read';
				return credentials ? `$GOOGLE_APPLICATION_CREDENTIALS (${credentials}) cannot be used` : 'nothing found';
			},
		),
		probeMetadata(env).then(probe => ('email' in probe ? `${probe.email} at ${probe.host}` : 'not reachable')),
		credentials ? readCredentialFile(credentials).then(f => f.type, () => 'unreadable') : Promise.resolve(undefined),
		findOnPath('gcloud', env),
	]);
	return {
		adc,
		metadata: `metadata server: ${metadata}`,
		'key-file': file === 'service_account' ? `key from $GOOGLE_APPLICATION_CREDENTIALS (${credentials})` : 'give the path of a service-account JSON key',
		impersonate: 'act as a service account through IAM Credentials, on top of ADC',
		gcloud: gcloud ? `gcloud CLI at ${gcloud}` : 'gcloud CLI not installed',
		external: file === 'external_account' ? `federation config from $GOOGLE_APPLICATION_CREDENTIALS (${credentials})` : 'give the path of an external_account JSON file',
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
