import {TokscopeError} from '../core/errors.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {impersonatedClient, type ImpersonationTarget} from './clients.js';
import type {CredentialFile} from './credential-file.js';
import type {CredentialTokens} from './credential-tokens.js';
import {defaultScopes, foreignUrlWarnings, iamCredentialsEndpoint} from './endpoints.js';
import type {FailureContext} from './errors.js';
import {accessFromClient, idFromWork} from './fetch-token.js';

/** The gcloud-order list SA[,DELEGATE...]: the last entry is the target, the others are the delegation chain. */
export function impersonationChain(list: string[], env: NodeJS.ProcessEnv = process.env): ImpersonationTarget {
	const target = list.at(-1);
	if (!target) throw new TokscopeError('--impersonate-service-account needs a service account email.');
	const notEmail = list.find(entry => !/^[^@\s/]+@[^@\s/]+$/.test(entry));
	if (notEmail !== undefined) throw new TokscopeError(`--impersonate-service-account takes service account emails, and "${terminalSafe(notEmail).slice(0, 80)}" is not one.`);
	return {target, delegates: list.slice(0, -1), endpoint: iamCredentialsEndpoint(env)};
}

/** Reads the target and endpoint out of a `service_account_impersonation_url` (…/v1/projects/-/serviceAccounts/SA:generateAccessToken). */
export function parseImpersonationUrl(url: string, delegates: string[] = []): ImpersonationTarget {
	const match = /^(.*?)\/v1\/projects\/[^/]+\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(url);
	if (!match) throw new TokscopeError(`The impersonation URL ${terminalSafe(url).slice(0, 200)} is not an IAM Credentials generateAccessToken URL.`);
	return {endpoint: match[1]!, target: decodeURIComponent(match[2]!), delegates};
}

export function selfImpersonationWarning(caller: string | undefined, target: ImpersonationTarget): string[] {
	if (!caller || caller.toLowerCase() !== target.target.toLowerCase()) return [];
	return [`${target.target} is impersonating itself: Google's guidance treats self-impersonation as a vulnerability (a token that can mint tokens for itself never has to expire).`];
}

/** Tokens minted by IAM Credentials for `target`, paid for by the caller's own access token. */
export function impersonationTokens(caller: CredentialTokens, target: ImpersonationTarget, warnings: string[] = [], timeoutMs?: number): CredentialTokens {
	const context = (want: 'access' | 'id'): FailureContext => ({want, via: 'iam', serviceAccount: target.target});
	// The caller needs cloud-platform to call IAM Credentials, whatever scopes the impersonated token will carry.
	const client = async (scopes: string[]) => impersonatedClient(await caller.client(defaultScopes), target, scopes);
	return {
		principal: target.target,
		// A user-managed service account's email names its project.
		projectId: /@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(target.target)?.[1],
		idTokens: true,
		warnings: [...caller.warnings, ...warnings, ...selfImpersonationWarning(caller.principal, target)],
		client,
		accessToken: async scopes => accessFromClient(await client(scopes), context('access'), scopes, timeoutMs),
		idToken: request => idFromWork(async () => (await client([])).fetchIdToken(request.audience, {includeEmail: request.includeEmail ?? false}), context('id'), request.audience, timeoutMs),
	};
}

/** An `impersonated_service_account` file (gcloud's --impersonate-service-account ADC): we build the chain ourselves so token_uri holds. */
export function impersonatedFileTokens(file: CredentialFile, source: CredentialTokens, timeoutMs?: number): CredentialTokens {
	const url = String(file.json.service_account_impersonation_url);
	const delegates = Array.isArray(file.json.delegates) ? (file.json.delegates as unknown[]).map(entry => String(entry).replace(/^projects\/-\/serviceAccounts\//, '')) : [];
	return impersonationTokens(source, parseImpersonationUrl(url, delegates), foreignUrlWarnings([['service_account_impersonation_url', url]], file.path), timeoutMs);
}

/** One line naming who acts as whom, in gcloud's order: the caller, the delegates, the target. */
export function impersonationOrigin(target: ImpersonationTarget, caller: string | undefined, callerOrigin: string): string {
	const through = target.delegates.length ? ` through ${target.delegates.join(' → ')}` : '';
	return `IAM Credentials acting as ${target.target}${through}, called by ${caller ?? 'the ADC principal'} (${callerOrigin})`;
}
