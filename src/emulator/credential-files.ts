import {randomBytes} from 'node:crypto';
import {mkdir, writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {numericId} from './authority.js';
import type {EmulatorState} from './state.js';

export interface CredentialFiles {
	serviceAccountKey: string;
	authorizedUser: string;
	impersonated: string;
	externalAccount: string;
	externalSubjectToken: string;
	/** The OAuth client to sign in with, in the `installed` shape Cloud Console downloads for a desktop client. */
	oauthClient: string;
}

/** The service account the impersonated and external credentials act as. */
export function impersonationTarget(state: EmulatorState): string {
	return `tokscope-target@${state.projectId}.iam.gserviceaccount.com`;
}

/** Writes credential files whose token_uri and URLs point at this emulator (mode 0600, like gcloud's). */
export async function writeCredentialFiles(state: EmulatorState, dir: string): Promise<CredentialFiles> {
	const root = resolve(dir);
	await mkdir(root, {recursive: true});
	const {authority, endpoints, projectId, serviceAccountEmail} = state;
	const target = impersonationTarget(state);
	const impersonationUrl = `${endpoints.iamCredentials}/v1/projects/-/serviceAccounts/${target}:generateAccessToken`;
	const authorizedUser = {
		type: 'authorized_user',
		client_id: authority.oauthClient.id,
		client_secret: authority.oauthClient.secret,
		refresh_token: authority.refreshToken,
		token_uri: endpoints.token,
		quota_project_id: projectId,
		universe_domain: 'googleapis.com',
	};
	const files: Record<keyof CredentialFiles, string> = {
		serviceAccountKey: join(root, 'service-account-key.json'),
		authorizedUser: join(root, 'authorized-user.json'),
		impersonated: join(root, 'impersonated-service-account.json'),
		externalAccount: join(root, 'external-account.json'),
		externalSubjectToken: join(root, 'external-subject-token.txt'),
		oauthClient: join(root, 'oauth-client.json'),
	};
	const contents: Record<keyof CredentialFiles, unknown> = {
		serviceAccountKey: {
			type: 'service_account',
			project_id: projectId,
			private_key_id: authority.serviceAccountKey.keyId,
			private_key: authority.serviceAccountKey.privateKeyPem,
			client_email: serviceAccountEmail,
			client_id: numericId(serviceAccountEmail),
			auth_uri: endpoints.authorizationInFiles,
			token_uri: endpoints.token,
			auth_provider_x509_cert_url: endpoints.x509Certs,
			universe_domain: 'googleapis.com',
		},
		authorizedUser,
		impersonated: {
			type: 'impersonated_service_account',
			service_account_impersonation_url: impersonationUrl,
			delegates: [],
			source_credentials: authorizedUser,
		},
		externalAccount: {
			type: 'external_account',
			audience:
				`//iam.googleapis.com/projects/${state.projectNumber}/locations/global/` +
				'workloadIdentityPools/tokscope-pool/providers/tokscope-provider',
			subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
			token_url: endpoints.sts,
			service_account_impersonation_url: impersonationUrl,
			credential_source: {file: files.externalSubjectToken},
			universe_domain: 'googleapis.com',
		},
		externalSubjectToken: `external-workload-${randomBytes(16).toString('hex')}`,
		oauthClient: {
			installed: {
				client_id: authority.oauthClient.id,
				project_id: projectId,
				auth_uri: endpoints.authorizationInFiles,
				token_uri: endpoints.token,
				auth_provider_x509_cert_url: endpoints.x509Certs,
				client_secret: authority.oauthClient.secret,
				redirect_uris: ['http://localhost'],
			},
		},
	};
	for (const key of Object.keys(files) as Array<keyof CredentialFiles>) {
		const content = contents[key];
		await writeFile(files[key], typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`, {mode: 0o600});
	}
	return files;
}
