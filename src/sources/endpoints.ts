import {
	cloudPlatformScope,
	googleIamCredentialsUrl,
	isGoogleCredentialHost,
	metadataServerAddress,
	metadataServerName,
} from '../core/google.js';
import {isLoopbackUrl} from '../core/hosts.js';

/** Hosts Google's own credentials talk to (or this machine); anything else in a credential file earns a visible warning. */
function isGoogleOrLoopbackUrl(url: string): boolean {
	const parsed = URL.parse(url);
	if (!parsed) return false;
	return isLoopbackUrl(parsed) || (parsed.protocol === 'https:' && isGoogleCredentialHost(parsed.hostname));
}

export function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}

/** Warnings for every URL in a credential file that points away from Google (a known way to steal credentials). */
export function foreignUrlWarnings(urls: Array<[string, string | undefined]>, path: string): string[] {
	return urls
		.filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !isGoogleOrLoopbackUrl(entry[1]))
		.map(([field, url]) => `${field} in ${path} points to ${hostOf(url)}, which is not Google: the credential will be sent there.`);
}

/** IAM Credentials base URL, honouring gcloud's own override (how the emulator and private endpoints are reached). */
export function iamCredentialsEndpoint(env: NodeJS.ProcessEnv = process.env): string {
	const override = env.CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS;
	return (override ?? googleIamCredentialsUrl).replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** gcp-metadata reads GCE_METADATA_HOST; gcloud users set GCE_METADATA_ROOT. Honour both. */
export function metadataHost(env: NodeJS.ProcessEnv = process.env): string {
	return env.GCE_METADATA_HOST ?? env.GCE_METADATA_IP ?? env.GCE_METADATA_ROOT ?? metadataServerAddress;
}

export const defaultScopes = [cloudPlatformScope];

/** Loopback (the emulator) and the metadata server are never reached through a proxy, whatever HTTPS_PROXY says. */
export const localHosts = ['127.0.0.1', 'localhost', '::1', '[::1]', metadataServerAddress, metadataServerName];
