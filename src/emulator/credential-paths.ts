import {join, resolve} from 'node:path';

// What the emulator's credential files are called and whom they act as: known before the emulator starts, so the demo
// can name them on its first frame without loading the emulator (credential-files.ts writes them).

export interface CredentialFiles {
	serviceAccountKey: string;
	authorizedUser: string;
	impersonated: string;
	externalAccount: string;
	externalSubjectToken: string;
	/** The OAuth client to sign in with, in the `installed` shape Cloud Console downloads for a desktop client. */
	oauthClient: string;
}

/** Where `writeCredentialFiles` puts each file under `dir`. */
export function credentialFilePaths(dir: string): CredentialFiles {
	const root = resolve(dir);
	return {
		serviceAccountKey: join(root, 'service-account-key.json'),
		authorizedUser: join(root, 'authorized-user.json'),
		impersonated: join(root, 'impersonated-service-account.json'),
		externalAccount: join(root, 'external-account.json'),
		externalSubjectToken: join(root, 'external-subject-token.txt'),
		oauthClient: join(root, 'oauth-client.json'),
	};
}

/** The service account the impersonated and external credentials act as. */
export function impersonationTarget({projectId}: {projectId: string}): string {
	return `tokscope-target@${projectId}.iam.gserviceaccount.com`;
}
