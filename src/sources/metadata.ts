import {get} from 'node:http';
// The Compute client alone, not the library's index: a metadata grab should not load every other credential type.
import {Compute} from 'google-auth-library/build/src/auth/computeclient.js';
import * as gcpMetadata from 'gcp-metadata';
import {terminalSafe} from '../core/terminal-safe.js';
import type {RawToken} from '../core/types.js';
import type {CredentialTokens} from './credential-tokens.js';
import {accessFromClient, idFromWork} from './fetch-token.js';
import {metadataHost} from './endpoints.js';
import {bypassProxyForLocalHosts, silenceLibraryWarnings} from './quiet.js';
import type {IdTokenRequest} from './types.js';

/** Short: an absent metadata server must be reported in well under 3 s, not after the library's 4 × 3 s retries. */
export const metadataProbeMs = 1500;

/** gcp-metadata reads GCE_METADATA_HOST from the process; gcloud users set GCE_METADATA_ROOT, so carry it over. */
function pointLibraryAtMetadata(env: NodeJS.ProcessEnv): string {
	const host = metadataHost(env);
	if (host !== '169.254.169.254') process.env.GCE_METADATA_HOST = host;
	silenceLibraryWarnings();
	bypassProxyForLocalHosts();
	return host;
}

/** The service account's email, or a sentence saying why the metadata server is not there. */
export async function probeMetadata(env: NodeJS.ProcessEnv = process.env, timeoutMs = metadataProbeMs): Promise<{email: string; host: string; projectId?: string} | {absent: string}> {
	const host = metadataHost(env);
	// Both at once: the project costs nothing extra in time, and a missing one is no reason to fail.
	const [answer, project] = await Promise.all([
		getText(`http://${host}/computeMetadata/v1/instance/service-accounts/default/email`, timeoutMs),
		getText(`http://${host}/computeMetadata/v1/project/project-id`, timeoutMs),
	]);
	if (!answer) return {absent: `no metadata server answered at ${host} within ${timeoutMs / 1000} s (not on GCE, GKE or Cloud Run?)`};
	if (answer.flavor !== 'Google') return {absent: `${host} answered, but not as a Google metadata server`};
	if (answer.status !== 200) return {absent: `the metadata server at ${host} answered HTTP ${answer.status}`};
	const projectId = project?.status === 200 && project.flavor === 'Google' ? terminalSafe(project.body.trim()) || undefined : undefined;
	return {email: terminalSafe(answer.body.trim()), host, projectId};
}

/** node:http rather than fetch: loading fetch's engine costs more than the whole probe on a one-shot command. */
function getText(url: string, timeoutMs: number): Promise<{status: number; flavor: string | undefined; body: string} | undefined> {
	return new Promise(resolve => {
		const request = get(url, {headers: {'Metadata-Flavor': 'Google'}, timeout: timeoutMs}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				if (body.length < 4096) body += chunk;
			});
			response.on('end', () => resolve({status: response.statusCode ?? 0, flavor: response.headers['metadata-flavor'] as string | undefined, body}));
			response.on('error', () => resolve(undefined));
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(undefined));
	});
}

// The token calls below rely on the source having probed once (createSource / ADC); a server that vanishes later
// is caught by the deadline rather than a second probe on every refresh.
function computeClient(env: NodeJS.ProcessEnv, scopes: string[] | undefined): Compute {
	pointLibraryAtMetadata(env);
	return new Compute({serviceAccountEmail: 'default', scopes});
}

export async function metadataAccessToken(env: NodeJS.ProcessEnv, scopes: string[] | undefined, timeoutMs?: number): Promise<RawToken> {
	return accessFromClient(computeClient(env, scopes), {want: 'access', via: 'metadata'}, scopes ?? [], timeoutMs);
}

export async function metadataIdToken(env: NodeJS.ProcessEnv, request: IdTokenRequest, timeoutMs?: number): Promise<RawToken> {
	pointLibraryAtMetadata(env);
	// Compute.fetchIdToken pastes the audience into the URL unencoded (an audience with & or ? is cut); params are encoded.
	return idFromWork(
		async () =>
			String(
				await gcpMetadata.instance({
					property: 'service-accounts/default/identity',
					params: {
						audience: request.audience,
						format: request.format ?? (request.includeEmail ? 'full' : 'standard'),
						...(request.includeLicenses ? {licenses: 'TRUE'} : {}),
					},
				}),
			),
		{want: 'id', via: 'metadata'},
		request.audience,
		timeoutMs,
	);
}

/** The metadata server as a credential: its service account, both kinds of token, and a client to impersonate on top of. */
export function metadataTokens(env: NodeJS.ProcessEnv, email: string, timeoutMs?: number, projectId?: string): CredentialTokens {
	return {
		principal: email,
		projectId,
		idTokens: true,
		warnings: [],
		client: scopes => computeClient(env, scopes),
		accessToken: scopes => metadataAccessToken(env, scopes, timeoutMs),
		idToken: request => metadataIdToken(env, request, timeoutMs),
	};
}
