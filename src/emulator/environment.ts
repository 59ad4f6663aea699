import type {CredentialFiles, Emulator} from './index.js';

/**
 * The environment that points google-auth-library, gcloud and tokscope's sources at the emulator, using only
 * variables those tools already honour, and tokscope's one of its own naming the emulator's issuer as a test issuer.
 */
export function emulatorEnvironment(
	emulator: Pick<Emulator, 'url' | 'host'>,
	files: Pick<CredentialFiles, 'serviceAccountKey'>,
): Record<string, string> {
	return {
		GCE_METADATA_HOST: emulator.host,
		GCE_METADATA_ROOT: emulator.host,
		GCE_METADATA_IP: emulator.host,
		GOOGLE_APPLICATION_CREDENTIALS: files.serviceAccountKey,
		CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS: `${emulator.url}/`,
		CLOUDSDK_API_ENDPOINT_OVERRIDES_OAUTH2: `${emulator.url}/`,
		// tokscope's own: the emulator's issuer stands in for Google (doctor, inspect and the live view say so).
		TOKSCOPE_TEST_ISSUERS: emulator.url,
		NO_PROXY: '127.0.0.1,localhost',
	};
}
