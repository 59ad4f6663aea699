import {Compute, gcpMetadata} from 'google-auth-library';
import {terminalSafe} from '../core/terminal-safe.js';
import type {RawToken} from '../core/types.js';
import {accessFromClient, idFromWork} from './credential-tokens.js';
import {metadataHost} from './endpoints.js';
import {bypassProxyForLocalHosts, silenceLibraryWarnings} from './quiet.js';
import type {IdTokenRequest} from './types.js';
import {TokscopeError} from '../core/errors.js';

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
export async function probeMetadata(env: NodeJS.ProcessEnv = process.env, timeoutMs = metadataProbeMs): Promise<{email: string; host: string} | {absent: string}> {
	const host = metadataHost(env);
	try {
		const response = await fetch(`http://${host}/computeMetadata/v1/instance/service-accounts/default/email`, {
			headers: {'Metadata-Flavor': 'Google'},
			signal: AbortSignal.timeout(timeoutMs),
		});
		if (response.headers.get('metadata-flavor') !== 'Google') return {absent: `${host} answered, but not as a Google metadata server`};
		if (!response.ok) return {absent: `the metadata server at ${host} answered HTTP ${response.status}`};
		return {email: terminalSafe((await response.text()).trim()), host};
	} catch {
		return {absent: `no metadata server answered at ${host} within ${timeoutMs / 1000} s (not on GCE, GKE or Cloud Run?)`};
	}
}

export async function requireMetadata(env: NodeJS.ProcessEnv): Promise<{email: string; host: string}> {
	const probe = await probeMetadata(env);
	if ('absent' in probe) throw new TokscopeError(`The metadata server is not reachable: ${probe.absent}.`, {hint: 'Set GCE_METADATA_HOST if it lives elsewhere, or pick another source.'});
	return probe;
}

export async function metadataAccessToken(env: NodeJS.ProcessEnv, scopes: string[] | undefined): Promise<RawToken> {
	await requireMetadata(env);
	pointLibraryAtMetadata(env);
	const client = new Compute({serviceAccountEmail: 'default', scopes});
	return accessFromClient(client, {want: 'access', via: 'metadata'}, scopes ?? []);
}

export async function metadataIdToken(env: NodeJS.ProcessEnv, request: IdTokenRequest): Promise<RawToken> {
	await requireMetadata(env);
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
	);
}
