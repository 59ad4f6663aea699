import {access} from 'node:fs/promises';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {TokscopeError} from '../core/errors.js';
import type {Credential, Found} from './credential.js';
import {parseCredentialJson, readCredentialFile, type CredentialFile} from './credential-file.js';
import {metadataWaitMs, probeMetadata} from './metadata.js';
import type {SourceBody, SourceOptions} from './types.js';

/** Which link of the Application Default Credentials chain answered, and why the earlier ones did not. */
export type AdcResolution =
	| {link: 'env'; file: CredentialFile; skipped: string[]}
	| {link: 'well-known'; file: CredentialFile; skipped: string[]}
	| {link: 'metadata'; email: string; host: string; projectId?: string; skipped: string[]};

/** gcloud's well-known ADC file, honouring CLOUDSDK_CONFIG as gcloud and the client libraries do. */
function wellKnownFile(env: NodeJS.ProcessEnv = process.env): string {
	const configDir =
		env.CLOUDSDK_CONFIG ??
		(process.platform === 'win32' && env.APPDATA ? join(env.APPDATA, 'gcloud') : join(env.HOME ?? homedir(), '.config', 'gcloud'));
	return join(configDir, 'application_default_credentials.json');
}

/** Walks the chain exactly as Google's client libraries do: $GOOGLE_APPLICATION_CREDENTIALS, the well-known file, the metadata server. */
export async function resolveAdc(env: NodeJS.ProcessEnv = process.env): Promise<AdcResolution> {
	const skipped: string[] = [];
	const fromEnv = env.GOOGLE_APPLICATION_CREDENTIALS;
	if (fromEnv) {
		// Like the libraries, a set but broken variable is an error, not a reason to fall through.
		try {
			return {link: 'env', file: await readCredentialFile(fromEnv), skipped};
		} catch (error) {
			if (!(error instanceof TokscopeError)) throw error;
			throw new TokscopeError(
				error.code,
				`${error.message.replace(/\.$/, '')} (it is named by $GOOGLE_APPLICATION_CREDENTIALS, and ADC stops there ` +
					`rather than trying gcloud's file or the metadata server).`,
				{
					hint: 'Fix the file, or unset GOOGLE_APPLICATION_CREDENTIALS to let ADC look further.',
				},
			);
		}
	}
	skipped.push(fromEnv === '' ? 'GOOGLE_APPLICATION_CREDENTIALS is set but empty' : 'GOOGLE_APPLICATION_CREDENTIALS is not set');

	const wellKnown = wellKnownFile(env);
	const exists = await access(wellKnown).then(
		() => true,
		() => false,
	);
	if (exists) return {link: 'well-known', file: await readCredentialFile(wellKnown), skipped};
	skipped.push(`there is no gcloud ADC file at ${wellKnown}${env.CLOUDSDK_CONFIG ? ' (from CLOUDSDK_CONFIG)' : ''}`);

	const probe = await probeMetadata(env, await metadataWaitMs(env));
	if ('email' in probe) return {link: 'metadata', email: probe.email, host: probe.host, projectId: probe.projectId, skipped};
	skipped.push(probe.absent);
	throw new TokscopeError('no-credential', `Application Default Credentials found nothing: ${skipped.join('; ')}.`, {
		hint: probe.hint ?? 'Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a key file.',
		...(probe.causes ? {causes: probe.causes} : {}),
	});
}

export function describeLink(resolution: AdcResolution): string {
	switch (resolution.link) {
		case 'env':
			return `${resolution.file.type} file from $GOOGLE_APPLICATION_CREDENTIALS (${resolution.file.path})`;
		case 'well-known':
			return `${resolution.file.type} file from gcloud's well-known location (${resolution.file.path})`;
		case 'metadata':
			return `the metadata server at ${resolution.host}`;
	}
}

/**
 * The credential ADC finds, and how it found it. Each kind's module loads only when the chain ends there: ADC ending at
 * the metadata server never reads google-auth-library.
 */
export async function adcCredential(options: SourceOptions): Promise<{credential: Credential; found: Found}> {
	const env = options.env ?? process.env;
	const resolution = await resolveAdc(env);
	const details = resolution.skipped.map(reason => `Skipped: ${reason}.`);
	if (resolution.link !== 'metadata' && resolution.file.type.startsWith('external_account')) {
		const {subjectTokenOrigin} = await import('./external.js');
		details.push(`Federation: ${subjectTokenOrigin(resolution.file.json)}.`);
	}
	const found: Found = {
		id: options.source,
		origin: describeLink(resolution),
		details,
		credentialType: resolution.link === 'metadata' ? undefined : resolution.file.type,
		env,
		timeoutMs: options.timeoutMs,
		...(options.subjectTokenFile ? {subjectTokenFile: options.subjectTokenFile} : {}),
	};
	if (resolution.link === 'metadata') {
		const {metadataCredential} = await import('./metadata.js');
		return {credential: metadataCredential(resolution, found), found};
	}
	return {credential: await fileCredential(resolution.file, found), found};
}

/**
 * How many impersonated_service_account credentials may sit inside each other: gcloud writes one, and a longer chain is
 * written as `delegates`; 200 nested files cost 200 IAM calls and as many warnings.
 */
const maxImpersonationNesting = 5;

/** Any credential file ADC may find, built by the module that knows its type. */
async function fileCredential(file: CredentialFile, found: Found, outer: CredentialFile = file, depth = 0): Promise<Credential> {
	switch (file.type) {
		case 'service_account':
			return (await import('./service-account.js')).serviceAccountCredential(file, found);
		case 'authorized_user':
			return (await import('./authorized-user.js')).authorizedUserCredential(file, found);
		case 'impersonated_service_account': {
			if (depth === maxImpersonationNesting) {
				throw new TokscopeError(
					'file',
					`The credential file ${outer.path} nests impersonated_service_account credentials more than ${maxImpersonationNesting} deep ` +
						`(source_credentials within source_credentials), so it was not used; gcloud writes one level, and a chain of ` +
						`service accounts is written as "delegates".`,
				);
			}
			const inner = parseCredentialJson(JSON.stringify(file.json.source_credentials), `${file.path} (source_credentials)`);
			const caller = await fileCredential(inner, found, outer, depth + 1);
			return (await import('./iam.js')).impersonatedFileCredential(file, caller, found);
		}
		case 'external_account':
			return (await import('./external.js')).externalAccountCredential(file, found);
		case 'external_account_authorized_user':
			return (await import('./external.js')).externalUserCredential(file, found);
	}
}

/** The adc source: whatever the chain finds, with the links it skipped and why. */
export async function adcSource(options: SourceOptions): Promise<SourceBody> {
	return (await adcCredential(options)).credential;
}
