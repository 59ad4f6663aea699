import type {ServerResponse} from 'node:http';
import {quotaProjectRefusal} from '../quota-project.js';
import {send, type ServiceRequest} from './context.js';

// A Google API (here Resource Manager's projects.get): it wants an OAuth 2 access token, never an ID token.
// Bodies follow Google's error model (https://cloud.google.com/apis/design/errors); the sentences and the
// `WWW-Authenticate: Bearer realm="https://accounts.google.com/"` challenge are what Google's APIs answer, as
// quoted in public code and GoogleCloudPlatform/esp-v2#185 ("Request had invalid authentication credentials…").
// The headers are the ESF front end's (`Server: ESF`, `X-XSS-Protection: 0`, …).

const expected =
	'Expected OAuth 2 access token, login cookie or other valid authentication credential. ' +
	'See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const missingMessage = `Request is missing required authentication credential. ${expected}`;
const invalidMessage = `Request had invalid authentication credentials. ${expected}`;
const acceptedScopes = ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/cloud-platform.read-only'];

function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	send(response, status, `${JSON.stringify(body, null, 2)}\n`, {
		'Content-Type': 'application/json; charset=UTF-8',
		Vary: 'Origin, X-Origin, Referer',
		Server: 'ESF',
		'X-XSS-Protection': '0',
		'X-Frame-Options': 'SAMEORIGIN',
		'X-Content-Type-Options': 'nosniff',
		...headers,
	});
}

const errorInfo = (reason: string, method: string) => ({
	'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
	reason,
	domain: 'googleapis.com',
	metadata: {service: 'cloudresourcemanager.googleapis.com', method},
});

export function answerGoogleApi({presented, settings, url, request, response, state}: ServiceRequest): void {
	const method = 'google.cloudresourcemanager.v1.Projects.GetProject';
	if (presented.kind === 'none') {
		return answer(
			response,
			401,
			{error: {code: 401, message: missingMessage, status: 'UNAUTHENTICATED', details: [errorInfo('CREDENTIALS_MISSING', method)]}},
			{'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"'},
		);
	}
	const issued = presented.kind === 'opaque' ? state.authority.lookupAccessToken(presented.token) : undefined;
	if (!issued) {
		// An ID token, an expired or unknown access token, garbage: one answer for all of them.
		return answer(
			response,
			401,
			{error: {code: 401, message: invalidMessage, status: 'UNAUTHENTICATED'}},
			{'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"'},
		);
	}
	if (!issued.scopes.some(scope => acceptedScopes.includes(scope))) {
		return answer(
			response,
			403,
			{
				error: {
					code: 403,
					message: 'Request had insufficient authentication scopes.',
					status: 'PERMISSION_DENIED',
					details: [errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', method)],
				},
			},
			{'WWW-Authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${acceptedScopes.join(' ')}"`},
		);
	}
	const billed = quotaProjectRefusal(request, state, 'cloudresourcemanager.googleapis.com');
	if (billed) return answer(response, 403, billed);
	if (!settings.invokers.has(issued.email.toLowerCase())) {
		return answer(response, 403, {error: {code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED'}});
	}
	const projectId = url.pathname.split('/').pop() || state.projectId;
	answer(response, 200, {projectNumber: state.projectNumber, projectId, lifecycleState: 'ACTIVE', name: projectId});
}
