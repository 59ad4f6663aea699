// gcloud's own OAuth clients: whoever holds a refresh token issued to one of them signed in through gcloud, and renews
// it through gcloud; a refresh token of any other client came from a sign-in with that client (tokscope login).

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

export function isGcloudClient(clientId: unknown): boolean {
	return clientId === gcloudClientId || clientId === gcloudAdcClientId;
}
