import {projectOfServiceAccount, tokenEndpoint} from '../core/google.js';
import {TokscopeError} from '../core/errors.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {delegatedClient, impersonatedClient, tokenClient, type ImpersonationTarget} from './library/clients.js';
import {audienceOf, describeFound, scopesOf, type Credential, type Found} from './credential.js';
import type {CredentialFile} from './credential-file.js';
import {defaultScopes, foreignUrlWarnings} from './endpoints.js';
import type {FailureContext} from './errors.js';
import {accessFromClient, idFromWork, type MintContext} from './library/mint.js';
import type {TokenType} from '../core/types.js';

// Impersonation as a layer on top of any credential: the impersonate source, an impersonated_service_account file
// found by ADC, and a federation config that names a service account all stand on it.

/**
 * Reads the target and endpoint out of a `service_account_impersonation_url`
 * (…/v1/projects/-/serviceAccounts/SA:generateAccessToken).
 */
export function parseImpersonationUrl(url: string, delegates: string[] = []): ImpersonationTarget {
	const match = /^(.*?)\/v1\/projects\/[^/]+\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(url);
	if (!match)
		throw new TokscopeError(
			'file',
			`The impersonation URL ${terminalSafe(url).slice(0, 200)} is not an IAM Credentials generateAccessToken URL.`,
		);
	return {endpoint: match[1]!, target: decodeURIComponent(match[2]!), delegates};
}

function selfImpersonationWarning(caller: string | undefined, target: ImpersonationTarget): string[] {
	if (!caller || caller.toLowerCase() !== target.target.toLowerCase()) return [];
	return [
		`${target.target} is impersonating itself: Google's guidance treats self-impersonation as a vulnerability ` +
			`(a token that can mint tokens for itself never has to expire).`,
	];
}

/**
 * Tokens minted by IAM Credentials for `target`, paid for by the caller's own access token. `callerKind` says when the
 * caller is a federated identity, whose refusal is a missing principalSet binding rather than a missing role.
 */
export function impersonating(
	caller: Credential,
	target: ImpersonationTarget,
	found: Found,
	warnings: string[] = [],
	callerKind?: FailureContext['credential'],
): Credential {
	const context = (want: TokenType, lifetimeSeconds?: number): MintContext => ({
		want,
		via: 'iam',
		...(callerKind ? {credential: callerKind} : {}),
		serviceAccount: target.target,
		lifetimeSeconds,
		// The member IAM's refusal is about: the caller, named in the hint that grants the role.
		whoCalls: async () => (await caller.describe()).principal,
	});
	// The caller needs cloud-platform to call IAM Credentials, whatever scopes the impersonated token will carry. Its
	// token comes through its own road, so what its endpoint does wrong (refuses, redirects, answers garbage) is checked
	// and said of that endpoint, not of IAM, which is only asked once the caller holds a token that passed.
	const client = async (scopes: string[], lifetimeSeconds?: number) =>
		impersonatedClient(
			tokenClient(() => caller.accessToken({scopes: defaultScopes})),
			target,
			scopes,
			lifetimeSeconds,
		);
	return {
		describe: async () => {
			const callerInfo = await caller.describe();
			return describeFound(found, {
				principal: target.target,
				caller: callerInfo.principal,
				// A user-managed service account's email names its project.
				projectId: projectOfServiceAccount(target.target),
				idTokens: true,
				// Said once: each layer of a chain repeats what the one below it found.
				warnings: [...new Set([...callerInfo.warnings, ...warnings, ...selfImpersonationWarning(callerInfo.principal, target)])],
			});
		},
		delegates: true,
		accessToken: async request => {
			const scopes = scopesOf(request);
			const lifetime = request?.lifetimeSeconds;
			if (request?.subject) {
				const delegated = delegatedClient(
					tokenClient(() => caller.accessToken({scopes: defaultScopes})),
					target,
					{
						subject: request.subject,
						scopes,
						tokenUrl: tokenEndpoint(found.env),
					},
				);
				return accessFromClient(delegated, context('access'), scopes, found.timeoutMs);
			}
			return accessFromClient(await client(scopes, lifetime), context('access', lifetime), scopes, found.timeoutMs);
		},
		idToken: async request => {
			const audience = audienceOf(request);
			const work = async () => (await client([])).idToken(audience, {includeEmail: request.includeEmail ?? false});
			return idFromWork(work, context('id'), audience, found.timeoutMs);
		},
	};
}

/** An `impersonated_service_account` file (gcloud's --impersonate-service-account ADC): we build the chain ourselves so token_uri holds. */
export function impersonatedFileCredential(file: CredentialFile, caller: Credential, found: Found): Credential {
	const url = String(file.json.service_account_impersonation_url);
	const delegates = Array.isArray(file.json.delegates)
		? (file.json.delegates as unknown[]).map(entry => String(entry).replace(/^projects\/-\/serviceAccounts\//, ''))
		: [];
	return impersonating(
		caller,
		parseImpersonationUrl(url, delegates),
		found,
		foreignUrlWarnings([['service_account_impersonation_url', url]], file.path),
	);
}
