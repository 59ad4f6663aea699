import type {IncomingMessage, ServerResponse} from 'node:http';
import {sendJson, sendText} from './http.js';
import type {EmulatorState} from './state.js';

const flavor = {'Metadata-Flavor': 'Google'};
// The metadata server says `application/json` with no charset, and Python's google-auth parses a body as JSON only
// when the header is exactly that (google/auth/compute_engine/_metadata.py, `get`: `response.headers['content-type']
// == 'application/json'`); with a charset it hands back the text, and compute_engine.Credentials fails on it.
const jsonFlavor = {...flavor, 'Content-Type': 'application/json'};
const prefix = '/computeMetadata/v1';

/** GCE/GKE/Cloud Run metadata server: `Metadata-Flavor: Google` required and returned, as Google's is. */
export async function handleMetadata(state: EmulatorState, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
	if (request.headers['metadata-flavor'] !== 'Google') {
		sendText(response, 403, 'Missing required header: "Metadata-Flavor": "Google"\n', flavor);
		return;
	}
	const path = url.pathname.slice(prefix.length).replace(/^\/+/, '');
	const text = (body: string) => sendText(response, 200, body, {...flavor, 'Content-Type': 'application/text'});

	switch (path) {
		case '':
		case 'instance':
		case 'instance/':
			text('attributes/\nhostname\nid\nname\nservice-accounts/\nzone\n');
			return;
		case 'project/project-id':
			text(state.projectId);
			return;
		case 'project/numeric-project-id':
			text(state.projectNumber);
			return;
		case 'instance/zone':
			text(`projects/${state.projectNumber}/zones/${state.zone}`);
			return;
		case 'instance/id':
			text(instanceId);
			return;
		case 'instance/name':
		case 'instance/hostname':
			text(instanceName);
			return;
		case 'universe/universe-domain':
			text('googleapis.com');
			return;
		case 'instance/service-accounts':
		case 'instance/service-accounts/':
			text(`default/\n${state.serviceAccountEmail}/\n`);
			return;
	}

	const account = /^instance\/service-accounts\/([^/]+)\/?(.*)$/.exec(path);
	if (account && (account[1] === 'default' || account[1] === state.serviceAccountEmail)) {
		await serviceAccountPath(state, response, url, account[2] ?? '');
		return;
	}
	if (account?.[1]?.includes('@') && account[2] === 'token') {
		// A token for an account not attached to this VM: 500 and the URI, as metadata/account-not-attached-to-vm.json shows.
		sendText(response, 500, `Could not fetch URI ${request.url ?? url.pathname}\n`, flavor);
		return;
	}
	sendText(response, 404, 'Not Found\n', flavor);
}

const instanceId = '4520031799277581759';
const instanceName = 'tokscope-emulated-vm';

async function serviceAccountPath(state: EmulatorState, response: ServerResponse, url: URL, leaf: string): Promise<void> {
	const text = (body: string) => sendText(response, 200, body, {...flavor, 'Content-Type': 'application/text'});
	const email = state.serviceAccountEmail;
	switch (leaf) {
		case '':
			if (url.searchParams.get('recursive') === 'true') {
				sendJson(response, 200, {aliases: ['default'], email, scopes: state.defaultScopes}, jsonFlavor);
			} else {
				text('aliases\nemail\nidentity\nscopes\ntoken\n');
			}
			return;
		case 'email':
			text(email);
			return;
		case 'aliases':
			text('default\n');
			return;
		case 'scopes':
			text(`${state.defaultScopes.join('\n')}\n`);
			return;
		case 'token': {
			const requested = url.searchParams.get('scopes');
			const scopes = requested ? requested.split(',').filter(Boolean) : state.defaultScopes;
			const {token} = state.authority.issueAccessToken(email, scopes);
			sendJson(response, 200, {access_token: token, expires_in: state.authority.expiresIn, token_type: 'Bearer'}, jsonFlavor);
			return;
		}
		case 'identity': {
			const audience = url.searchParams.get('audience');
			if (!audience) {
				sendText(response, 400, 'non-empty audience parameter required\n', flavor);
				return;
			}
			const full = url.searchParams.get('format') === 'full';
			const licenses = url.searchParams.get('licenses')?.toUpperCase() === 'TRUE';
			const token = await state.authority.mintIdToken({
				audience,
				email,
				includeEmail: full,
				extra: full ? {google: {compute_engine: computeEngineClaim(state, licenses)}} : undefined,
			});
			text(token);
			return;
		}
	}
	sendText(response, 404, 'Not Found\n', flavor);
}

function computeEngineClaim(state: EmulatorState, licenses: boolean): Record<string, unknown> {
	return {
		instance_creation_timestamp: 1_764_000_000,
		instance_id: instanceId,
		instance_name: instanceName,
		project_id: state.projectId,
		project_number: Number(state.projectNumber),
		zone: state.zone,
		...(licenses ? {license_id: ['1000201']} : {}),
	};
}
