import {TokscopeError} from '../core/errors.js';
import {externalClient, externalUserClient} from './clients.js';
import type {CredentialFile} from './credential-file.js';
import type {CredentialTokens} from './credential-tokens.js';
import {foreignUrlWarnings} from './endpoints.js';
import {accessFromClient} from './fetch-token.js';
import {impersonationTokens, parseImpersonationUrl} from './impersonate.js';

const federatedIdTokenLimit =
	'A federated (workload identity) credential cannot mint ID tokens without service account impersonation: add service_account_impersonation_url to the credential configuration (gcloud iam workload-identity-pools create-cred-config --service-account=SA).';
const workforceIdTokenLimit = 'A workforce identity federation user credential cannot mint ID tokens; impersonate a service account instead.';

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
export function externalAccountTokens(file: CredentialFile, env: NodeJS.ProcessEnv, timeoutMs?: number): CredentialTokens {
	const {json, path} = file;
	const source = (json.credential_source ?? {}) as CredentialSource;
	// The library refuses executables unless this is set, with a message about the variable; say it up front instead.
	if (source.executable && env.GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES !== '1') {
		throw new TokscopeError(`${path} runs an executable to get its subject token, which Google's libraries allow only with GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1.`, {
			hint: `Set it if you trust ${path}: GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1 tokscope …`,
		});
	}
	if (source.executable) process.env.GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES = '1';
	const warnings = foreignUrlWarnings(
		[
			['token_url', json.token_url as string | undefined],
			['service_account_impersonation_url', json.service_account_impersonation_url as string | undefined],
			['credential_source.url', source.url],
		],
		path,
	);
	const federated: CredentialTokens = {
		principal: typeof json.audience === 'string' ? `federated principal of ${json.audience}` : undefined,
		idTokens: federatedIdTokenLimit,
		warnings,
		client: async () => externalClient(file),
		accessToken: scopes => accessFromClient(externalClient(file), {want: 'access', via: 'sts', credential: 'external'}, scopes, timeoutMs),
		idToken: async () => {
			throw new TokscopeError(federatedIdTokenLimit);
		},
	};
	if (typeof json.service_account_impersonation_url !== 'string') return federated;
	return impersonationTokens(federated, parseImpersonationUrl(json.service_account_impersonation_url), [], timeoutMs);
}

/** Workforce identity federation's `external_account_authorized_user` file (gcloud auth login --login-config). */
export function externalUserTokens(file: CredentialFile, timeoutMs?: number): CredentialTokens {
	const {json, path} = file;
	const client = () => externalUserClient(json);
	return {
		principal: undefined,
		idTokens: workforceIdTokenLimit,
		warnings: foreignUrlWarnings([['token_url', json.token_url as string | undefined]], path),
		client: async () => client(),
		accessToken: scopes => accessFromClient(client(), {want: 'access', via: 'sts', credential: 'user'}, scopes, timeoutMs),
		idToken: async () => {
			throw new TokscopeError(workforceIdTokenLimit);
		},
	};
}
