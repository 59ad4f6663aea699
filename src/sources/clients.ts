import {ExternalAccountClient, Impersonated, JWT, UserRefreshClient, type AuthClient} from 'google-auth-library';
import {TokscopeError} from '../core/errors.js';
import type {CredentialFile} from './credential-file.js';
import {googleTokenUrl, iamCredentialsEndpoint} from './endpoints.js';
import {bypassProxyForLocalHosts, silenceLibraryWarnings} from './quiet.js';

// The only place credentials become google-auth-library clients. We construct each class ourselves: GoogleAuth's
// discovery runs `gcloud config config-helper` and probes the metadata server, which costs seconds.

export type Client = AuthClient;

function prepare(): void {
	silenceLibraryWarnings();
	bypassProxyForLocalHosts();
}

/** The Node library ignores token_uri and always posts to Google; gcloud and Python honour it, and so do we. */
function honourTokenUri(client: AuthClient, tokenUri: unknown): void {
	if (typeof tokenUri !== 'string' || tokenUri === googleTokenUrl) return;
	client.transporter.interceptors.request.add({
		resolved: async options => {
			if (String(options.url) === googleTokenUrl) {
				options.url = new URL(tokenUri);
				// gaxios chose a proxy agent for Google's URL before this interceptor ran; loopback never goes through one.
				if (['127.0.0.1', 'localhost', '[::1]'].includes(options.url.hostname)) options.agent = undefined;
			}
			return options;
		},
	});
}

export function serviceAccountClient(file: CredentialFile, scopes: string[]): JWT {
	prepare();
	const {json} = file;
	const client = new JWT({email: String(json.client_email), key: String(json.private_key), keyId: json.private_key_id as string | undefined, scopes});
	honourTokenUri(client, json.token_uri);
	return client;
}

export function userClient(json: Record<string, unknown>): UserRefreshClient {
	prepare();
	const tokenUri = typeof json.token_uri === 'string' ? json.token_uri : googleTokenUrl;
	return new UserRefreshClient({
		clientId: String(json.client_id),
		clientSecret: String(json.client_secret),
		refreshToken: String(json.refresh_token),
		endpoints: {oauth2TokenUrl: tokenUri},
	});
}

/** A federated (workload identity) client that returns the STS token itself; impersonation is layered on by us. */
export function externalClient(file: CredentialFile): AuthClient {
	prepare();
	const {service_account_impersonation_url: _skip, ...json} = file.json;
	const client = ExternalAccountClient.fromJSON(json as unknown as Parameters<typeof ExternalAccountClient.fromJSON>[0]);
	if (!client) throw new TokscopeError(`The external_account file ${file.path} has a credential_source this version cannot use.`);
	return client;
}

export interface ImpersonationTarget {
	/** The service account to act as. */
	target: string;
	/** Intermediate service accounts, in order. */
	delegates: string[];
	endpoint: string;
}

export function impersonatedClient(source: AuthClient, target: ImpersonationTarget, scopes: string[], lifetimeSeconds = 3600): Impersonated {
	prepare();
	return new Impersonated({
		sourceClient: source,
		targetPrincipal: target.target,
		delegates: target.delegates.map(email => `projects/-/serviceAccounts/${email}`),
		targetScopes: scopes,
		lifetime: lifetimeSeconds,
		endpoint: target.endpoint,
	});
}

/** Reads the target and endpoint out of a `service_account_impersonation_url` (…/v1/projects/-/serviceAccounts/SA:generateAccessToken). */
export function parseImpersonationUrl(url: string, delegates: string[] = []): ImpersonationTarget {
	const match = /^(.*?)\/v1\/projects\/[^/]+\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(url);
	if (!match) throw new TokscopeError(`The impersonation URL ${url.slice(0, 200)} is not an IAM Credentials generateAccessToken URL.`);
	return {endpoint: match[1]!, target: decodeURIComponent(match[2]!), delegates};
}

/** The gcloud-order list SA[,DELEGATE...]: the last entry is the target, the others are the delegation chain. */
export function impersonationChain(list: string[], env: NodeJS.ProcessEnv = process.env): ImpersonationTarget {
	const target = list.at(-1);
	if (!target) throw new TokscopeError('--impersonate-service-account needs a service account email.');
	return {target, delegates: list.slice(0, -1), endpoint: iamCredentialsEndpoint(env)};
}
