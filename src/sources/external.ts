import {TokscopeError} from '../core/errors.js';
import {externalClient, externalUserClient} from './library/clients.js';
import {audienceOf, describeFound, scopesOf, type Credential, type Found} from './credential.js';
import {credentialFileFor, type CredentialFile} from './credential-file.js';
import {foreignUrlWarnings} from './endpoints.js';
import {accessFromClient} from './library/mint.js';
import {impersonating, parseImpersonationUrl} from './iam.js';
import type {SourceBody, SourceOptions} from './types.js';

const federatedIdTokenLimit =
	'A federated (workload identity) credential cannot mint ID tokens without service account impersonation: add ' +
	'service_account_impersonation_url to the credential configuration (gcloud iam workload-identity-pools ' +
	'create-cred-config --service-account=SA).';
const workforceIdTokenLimit =
	'A workforce identity federation user credential cannot mint ID tokens; impersonate a service account instead.';

interface CredentialSource {
	file?: string;
	url?: string;
	executable?: {command?: string};
	environment_id?: string;
}

/** Which kind of subject token the file reads, in words, for describe(). */
export function subjectTokenOrigin(json: Record<string, unknown>): string {
	const source = (json.credential_source ?? {}) as CredentialSource;
	if (source.file) return `subject token read from the file ${source.file}`;
	if (source.url) return `subject token fetched from ${source.url}`;
	if (source.executable) return `subject token printed by the executable ${source.executable.command ?? '(no command)'}`;
	if (source.environment_id) return `subject token from the cloud environment ${source.environment_id}`;
	return 'subject token from an unrecognised credential_source';
}

/** Workload identity federation: an STS exchange, and through IAM Credentials when the file names a service account. */
export function externalAccountCredential(given: CredentialFile, found: Found): Credential {
	// A subject token saved to a file (a CI system's OIDC token) stands in for whatever the config reads: a plain-text file.
	const file = found.subjectTokenFile ? {...given, json: {...given.json, credential_source: {file: found.subjectTokenFile}}} : given;
	const {json, path} = file;
	const source = (json.credential_source ?? {}) as CredentialSource;
	// The library refuses executables unless this is set, with a message about the variable; say it up front instead.
	if (source.executable && found.env.GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES !== '1') {
		throw new TokscopeError(
			'file',
			`${path} runs an executable to get its subject token, which Google's libraries allow only with ` +
				`GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1.`,
			{
				hint: `Set it if you trust ${path}: GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1 tokscope …`,
			},
		);
	}
	const warnings = foreignUrlWarnings(
		[
			['token_url', json.token_url as string | undefined],
			['service_account_impersonation_url', json.service_account_impersonation_url as string | undefined],
			['credential_source.url', source.url],
		],
		path,
	);
	const client = () => externalClient(file, found.env);
	const federated: Credential = {
		describe: async () => {
			const principal = typeof json.audience === 'string' ? `federated principal of ${json.audience}` : undefined;
			return describeFound(found, {principal, idTokens: federatedIdTokenLimit, warnings});
		},
		accessToken: async request => {
			const scopes = scopesOf(request);
			return accessFromClient(client(), {want: 'access', via: 'sts', credential: 'external'}, scopes, found.timeoutMs);
		},
		idToken: async request => {
			audienceOf(request);
			throw new TokscopeError('cannot-mint', federatedIdTokenLimit);
		},
	};
	if (typeof json.service_account_impersonation_url !== 'string') return federated;
	return impersonating(federated, parseImpersonationUrl(json.service_account_impersonation_url), found, [], 'external');
}

/** Workforce identity federation's `external_account_authorized_user` file (gcloud auth login --login-config). */
export function externalUserCredential(file: CredentialFile, found: Found): Credential {
	const {json, path} = file;
	const client = () => externalUserClient(json);
	const warnings = foreignUrlWarnings([['token_url', json.token_url as string | undefined]], path);
	return {
		describe: async () => describeFound(found, {principal: undefined, idTokens: workforceIdTokenLimit, warnings}),
		accessToken: async request => {
			const scopes = scopesOf(request);
			return accessFromClient(client(), {want: 'access', via: 'sts', credential: 'user'}, scopes, found.timeoutMs);
		},
		idToken: async request => {
			audienceOf(request);
			throw new TokscopeError('cannot-mint', workforceIdTokenLimit);
		},
	};
}

/** The external source: a federation config named by --key-file or $GOOGLE_APPLICATION_CREDENTIALS. */
export async function externalSource(options: SourceOptions): Promise<SourceBody> {
	const {file, origin} = await credentialFileFor(options, ['external_account', 'external_account_authorized_user']);
	const details = file.type === 'external_account' ? [`Federation: ${subjectTokenOrigin(file.json)}.`] : [];
	const env = options.env ?? process.env;
	const found: Found = {
		id: options.source,
		origin,
		details,
		credentialType: file.type,
		env,
		timeoutMs: options.timeoutMs,
		...(options.subjectTokenFile ? {subjectTokenFile: options.subjectTokenFile} : {}),
	};
	return file.type === 'external_account' ? externalAccountCredential(file, found) : externalUserCredential(file, found);
}
