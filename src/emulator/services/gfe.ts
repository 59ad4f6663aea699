import type {ServerResponse} from 'node:http';
import {escapeHtml, send, traceContext} from './context.js';

// Google Frontend's own error pages, which Cloud Run and Cloud Functions answer with before a request reaches the
// container: "Error: Forbidden / Your client does not have permission to get URL / from this server." (quoted in
// datacommonsorg/docsite#463, googlecodelabs/feedback#1587, ahmetb/runsd#25) and "Error: Unauthorized / Your client
// does not have permission to the requested URL /." (pomerium/pomerium#1623).

export const gfeHeaders = (): Record<string, string> => ({
	'Content-Type': 'text/html; charset=UTF-8',
	Server: 'Google Frontend',
	'X-Cloud-Trace-Context': traceContext(),
});

function page(status: number, title: string, heading: string, sentence: string): string {
	return [
		'<html><head>',
		'<meta http-equiv="content-type" content="text/html;charset=utf-8">',
		`<title>${status} ${title}</title>`,
		'</head>',
		'<body text=#000000 bgcolor=#ffffff>',
		`<h1>Error: ${heading}</h1>`,
		`<h2>${sentence}</h2>`,
		'<h2></h2>',
		'</body></html>',
		'',
	].join('\n');
}

/** 403: no credential at all, or a valid one whose principal lacks the invoker role. */
export function gfeForbidden(response: ServerResponse, path: string): void {
	send(
		response,
		403,
		page(
			403,
			'Forbidden',
			'Forbidden',
			`Your client does not have permission to get URL <code>${escapeHtml(path)}</code> from this server.`,
		),
		gfeHeaders(),
	);
}

/**
 * 401: a credential that could not be verified — malformed, an access token, the wrong audience, expired, or not
 * signed by Google. The challenge names no cause; observed as `www-authenticate: Bearer error="invalid_token"
 * error_description="The access token could not be verified"` (quoted in public code that calls Cloud Run, e.g.
 * GitHub code search for that sentence; no Google page documents it).
 */
export function gfeUnauthorized(response: ServerResponse, path: string): void {
	send(
		response,
		401,
		page(
			401,
			'Unauthorized',
			'Unauthorized',
			`Your client does not have permission to the requested URL <code>${escapeHtml(path)}</code>.`,
		),
		{
			...gfeHeaders(),
			'WWW-Authenticate': 'Bearer error="invalid_token" error_description="The access token could not be verified"',
		},
	);
}

/**
 * Cloud Run's own 401 for a token its IAM check cannot take (one from another issuer): one sentence under text/html,
 * as quoted in test/fixtures/real-world/api-gateway/espv2-on-cloud-run-without-allow-unauthenticated.json
 * (GoogleCloudPlatform/esp-v2#542, where a Firebase user's token reached Cloud Run deployed without
 * --allow-unauthenticated).
 */
export function notAuthorizedToInvoke(response: ServerResponse): void {
	send(
		response,
		401,
		'The request was not authorized to invoke this service. Read more at https://cloud.google.com/run/docs/securing/authentication',
		gfeHeaders(),
	);
}
