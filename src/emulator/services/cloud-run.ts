import {randomBytes} from 'node:crypto';
import {audiencesOf} from './bearer.js';
import {send, type ServiceRequest} from './context.js';
import {gfeForbidden, gfeHeaders, gfeUnauthorized, notAuthorizedToInvoke} from './gfe.js';

/**
 * Cloud Run with IAM: a Google-signed, unexpired ID token whose `aud` is the service URL (with or without the trailing
 * slash: Google's own Go sample mints for "https://my-cloud-run-service.run.app/",
 * https://cloud.google.com/run/docs/samples/cloudrun-service-to-service-auth) or a configured custom audience
 * (https://cloud.google.com/run/docs/configuring/custom-audiences), then roles/run.invoker for its principal.
 */
export function answerCloudRun({presented, settings, url, response, state}: ServiceRequest): void {
	// A token of another issuer (a Firebase user's, in api-gateway/espv2-on-cloud-run-without-allow-unauthenticated) gets
	// Cloud Run's own sentence rather than the front end's page.
	if (presented.kind === 'jwt' && presented.claims.iss !== state.endpoints.issuer) return notAuthorizedToInvoke(response);
	const verdict = serverlessVerdict({presented, settings});
	if (verdict === 'forbidden') return gfeForbidden(response, url.pathname);
	if (verdict === 'unauthorized') return gfeUnauthorized(response, url.pathname);
	const principal = presented.kind === 'jwt' ? presented.principal : undefined;
	send(response, 200, `Hello from Cloud Run, ${principal ?? 'caller'}!\n`, {...gfeHeaders(), 'Content-Type': 'text/plain; charset=utf-8'});
}

/**
 * Cloud Functions (1st gen): the same front door, but the audience is the full function URL, path included
 * (https://cloud.google.com/functions/1stgendocs/securing/authenticating; google-auth-library-nodejs#1208 and #1339,
 * where callers minting for the bare origin get 401). The function answers under its path and its sub-paths.
 */
export function answerCloudFunction({presented, settings, url, response}: ServiceRequest): void {
	const functionPath = new URL(settings.url).pathname;
	// A path that names no function is refused as a caller without the role is: 403, never 404
	// (cloud-functions/path-without-function-name: "Your client does not have permission to get URL /about").
	if (url.pathname !== functionPath && !url.pathname.startsWith(`${functionPath}/`)) return gfeForbidden(response, url.pathname);
	const verdict = serverlessVerdict({presented, settings});
	if (verdict === 'forbidden') return gfeForbidden(response, url.pathname);
	if (verdict === 'unauthorized') return gfeUnauthorized(response, url.pathname);
	const principal = presented.kind === 'jwt' ? presented.principal : undefined;
	send(response, 200, `Hello from Cloud Functions, ${principal ?? 'caller'}!\n`, {
		...gfeHeaders(),
		'Content-Type': 'text/plain; charset=utf-8',
		// Set by the 1st gen runtime on every execution (assumed: seen in responses, not documented).
		'Function-Execution-Id': randomBytes(6).toString('base64url'),
	});
}

/**
 * Both products: no credential is 403 (the request is simply not allowed), a credential that does not verify is 401,
 * a verified one without the invoker role is 403 again.
 */
function serverlessVerdict({presented, settings}: Pick<ServiceRequest, 'presented' | 'settings'>): 'forbidden' | 'unauthorized' | 'ok' {
	if (presented.kind === 'none') return 'forbidden';
	if (presented.kind === 'opaque' || !presented.signedByGoogle || presented.expired) return 'unauthorized';
	if (!audiencesOf(presented.claims).some(audience => settings.audiences.includes(audience))) return 'unauthorized';
	return presented.principal && settings.invokers.has(presented.principal.toLowerCase()) ? 'ok' : 'forbidden';
}
