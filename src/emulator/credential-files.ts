import {randomBytes} from 'node:crypto';
import {mkdir, writeFile} from 'node:fs/promises';
import {resolve} from 'node:path';
import {numericId} from './authority.js';
import {credentialFilePaths, impersonationTarget, type CredentialFiles} from './credential-paths.js';
import type {EmulatorState} from './state.js';

/** Writes credential files whose token_uri and URLs point at this emulator (mode 0600, like gcloud's), once its keys exist. */
export async function writeCredentialFiles(state: EmulatorState, dir: string): Promise<CredentialFiles> {
	await mkdir(resolve(dir), {recursive: true});
	await state.authority.ready;
	const {authority, endpoints, projectId, serviceAccountEmail} = state;
	const target = impersonationTarget(state);
	const impersonationUrl = `${endpoints.iamCredentials}/v1/projects/-/serviceAccounts/${target}:generateAccessToken`;
	const authorizedUser = {
		type: 'authorized_user',
		client_id: authority.gcloudClient.id,
		client_secret: authority.gcloudClient.secret,
		refresh_token: authority.refreshToken,
		token_uri: endpoints.token,
		quota_project_id: projectId,
		universe_domain: 'googleapis.com',
	};
	const files = credentialFilePaths(dir);
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
