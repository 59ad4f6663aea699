// Google's facts, written once: who issues its tokens, what its principals and clients look like, where its
// endpoints live. Pure; every other module asks here instead of keeping a copy.

/** Google writes its issuer both ways (https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken). */
export const googleIssuers: readonly string[] = ['https://accounts.google.com', 'accounts.google.com'];

export function isGoogleIssuer(issuer: string | undefined): boolean {
	return issuer !== undefined && googleIssuers.includes(issuer);
}

/**
 * Issuers that stand in for Google where tokscope is tested or demonstrated (the emulator's), named explicitly: exact
 * issuer strings, comma-separated. `tokscope emulator` prints it with the rest of its environment and --demo sets it;
 * nothing else is ever taken for Google, on loopback or anywhere.
 */
export const testIssuersVariable = 'TOKSCOPE_TEST_ISSUERS';

export function testIssuersOf(env: NodeJS.ProcessEnv): string[] {
	return (env[testIssuersVariable] ?? '')
		.split(',')
		.map(issuer => issuer.trim())
		.filter(Boolean);
}

/** Who vouches for an issuer's tokens: Google, a stand-in for Google named in the environment, or someone else. */
export type IssuerTrust = 'google' | 'test' | 'other';

/** The one rule doctor, inspect and the live view judge an issuer by. */
export function issuerTrust(issuer: string | undefined, testIssuers: readonly string[]): IssuerTrust {
	if (isGoogleIssuer(issuer)) return 'google';
	return issuer !== undefined && testIssuers.includes(issuer) ? 'test' : 'other';
}

/** How an issuer is named beside it: "Google", or what it is instead. */
export const issuerTrustWords: Record<IssuerTrust, string> = {
	google: 'Google',
	test: 'a test issuer standing in for Google',
	other: 'not Google',
};

/**
 * A service account's email: `NAME@PROJECT.iam.gserviceaccount.com`, and Google's own kinds (the Compute default
 * `NUMBER-compute@developer.gserviceaccount.com`, `PROJECT@appspot.gserviceaccount.com`, service agents).
 */
export const serviceAccountEmailPattern = /^[a-z0-9-]+@[a-z0-9.-]+\.gserviceaccount\.com$/i;

export function isServiceAccountEmail(text: string | undefined): boolean {
	return text !== undefined && serviceAccountEmailPattern.test(text);
}

/** The project a user-made service account belongs to, from its email (`NAME@PROJECT.iam.gserviceaccount.com`). */
export function projectOfServiceAccount(email: string): string | undefined {
	return /@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(email)?.[1];
}

/**
 * An OAuth client ID (`NUMBER-RANDOM.apps.googleusercontent.com`): IAP's programmatic audience
 * (https://cloud.google.com/iap/docs/authentication-howto), and also what `gcloud auth print-identity-token` puts in
 * `aud` when no --audiences is given: gcloud's own client, which has no dash (GoogleCloudPlatform/cloud-run-proxy#10).
 */
export const oauthClientIdPattern = /^\d+(-[a-z0-9]+)?\.apps\.googleusercontent\.com$/;

/**
 * gcloud's OAuth client ID (`gcloud auth login`), also the audience gcloud mints ID tokens for when --audiences is not
 * given (for a service-account key, impersonation and the metadata server alike: `config.CLOUDSDK_CLIENT_ID` in
 * googlecloudsdk/core/credentials/store.py).
 */
export const gcloudClientId = '32555940559.apps.googleusercontent.com';

/**
 * The client `gcloud auth application-default login` signs in with and writes into the ADC file
 * (`DEFAULT_CREDENTIALS_DEFAULT_CLIENT_ID` in googlecloudsdk/api_lib/auth/util.py).
 */
export const gcloudAdcClientId = '764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com';

/**
 * gcloud's own OAuth clients: whoever holds a refresh token issued to one of them signed in through gcloud, and renews
 * it through gcloud; a refresh token of any other client came from a sign-in with that client (tokscope login).
 */
export function isGcloudClient(clientId: unknown): boolean {
	return clientId === gcloudClientId || clientId === gcloudAdcClientId;
}

const looksLikeEmail = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * The IAM policy member for a principal: `serviceAccount:` for a service account's email (they all end in
 * gserviceaccount.com, the Compute default account included), `user:` for any other email, and `placeholder` for the
 * reader to fill in when the principal is not known or is no email (a federated principal has no `user:` member).
 */
export function iamMember(principal: string | undefined, placeholder: string): string {
	if (!principal || !looksLikeEmail.test(principal)) return placeholder;
	return isServiceAccountEmail(principal) ? `serviceAccount:${principal}` : `user:${principal}`;
}

/** Google's APIs (`*.googleapis.com`), which take OAuth access tokens, never ID tokens. */
export function isGoogleApiHost(hostname: string): boolean {
	const host = hostname.toLowerCase();
	return host === 'googleapis.com' || host.endsWith('.googleapis.com');
}

/** Hosts Google's own credentials talk to over https: its APIs and its sign-in. */
export function isGoogleCredentialHost(hostname: string): boolean {
	return isGoogleApiHost(hostname) || hostname.toLowerCase() === 'accounts.google.com';
}

export const googleTokenUrl = 'https://oauth2.googleapis.com/token';
export const googleAuthUrl = 'https://accounts.google.com/o/oauth2/v2/auth';
export const googleTokenInfoUrl = 'https://oauth2.googleapis.com/tokeninfo';

/** Google's tokeninfo endpoint, or the one gcloud's oauth2 override names (how the emulator stands in). */
export function tokenInfoEndpoint(env: NodeJS.ProcessEnv): string {
	const override = env.CLOUDSDK_API_ENDPOINT_OVERRIDES_OAUTH2;
	return override ? new URL('tokeninfo', override.endsWith('/') ? override : `${override}/`).toString() : googleTokenInfoUrl;
}
/** Google's token endpoint, or the one gcloud's oauth2 override names (how the emulator stands in). */
export function tokenEndpoint(env: NodeJS.ProcessEnv): string {
	const override = env.CLOUDSDK_API_ENDPOINT_OVERRIDES_OAUTH2;
	return override ? new URL('token', override.endsWith('/') ? override : `${override}/`).toString() : googleTokenUrl;
}
export const googleIamCredentialsUrl = 'https://iamcredentials.googleapis.com/';
/**
 * A Google API every access token with the cloud-platform scope may call, whatever its roles: Resource Manager's
 * projects.list answers 200 (the projects the caller can see, maybe none), and 401 to an ID token
 * (https://cloud.google.com/resource-manager/reference/rest/v1/projects/list). The comparison calls it with both tokens.
 */
export const googleApiForAnyToken = 'https://cloudresourcemanager.googleapis.com/v1/projects?pageSize=1';
/** Google's keys for its ID tokens. */
export const googleJwksUri = 'https://www.googleapis.com/oauth2/v3/certs';
/** Google publishes each service account's public keys here (the email appended); self-signed JWTs are checked against them. */
export const serviceAccountJwksBase = 'https://www.googleapis.com/service_accounts/v1/jwk/';
export const googleUniverseDomain = 'googleapis.com';
export const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';

/** The metadata server's address and name on GCE, GKE and Cloud Run. */
export const metadataServerAddress = '169.254.169.254';
export const metadataServerName = 'metadata.google.internal';
