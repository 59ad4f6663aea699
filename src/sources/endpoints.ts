/** Hosts Google's own credentials talk to; anything else in a credential file earns a visible warning. */
function isGoogleOrLoopbackUrl(url: string): boolean {
	try {
		const {hostname, protocol} = new URL(url);
		if (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]') return true;
		return (
			protocol === 'https:' && (hostname === 'googleapis.com' || hostname.endsWith('.googleapis.com') || hostname === 'accounts.google.com')
		);
	} catch {
		return false;
	}
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
	return (override ?? 'https://iamcredentials.googleapis.com/').replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** gcp-metadata reads GCE_METADATA_HOST; gcloud users set GCE_METADATA_ROOT. Honour both. */
export function metadataHost(env: NodeJS.ProcessEnv = process.env): string {
	return env.GCE_METADATA_HOST ?? env.GCE_METADATA_IP ?? env.GCE_METADATA_ROOT ?? '169.254.169.254';
}

export const googleTokenUrl = 'https://oauth2.googleapis.com/token';
export const defaultScopes = ['https://www.googleapis.com/auth/cloud-platform'];

/** Loopback (the emulator) and the metadata server are never reached through a proxy, whatever HTTPS_PROXY says. */
export const localHosts = ['127.0.0.1', 'localhost', '::1', '[::1]', '169.254.169.254', 'metadata.google.internal'];
