// The audience mistakes that show in the text alone, before any token is minted: doctor lists them beside its
// verdict, and the live view's audience input shows them as the user types. Each rule cites where it comes from.

import {isGoogleApiHost, oauthClientIdPattern} from './google.js';
import {isLoopbackHost} from './hosts.js';

export type AudienceWarningCode =
	| 'spaces'
	| 'no-scheme'
	| 'http'
	| 'run-app-path'
	| 'run-app-slash'
	| 'query'
	| 'function-path'
	| 'client-id'
	| 'scope'
	| 'federation'
	| 'google-api';

export interface AudienceWarning {
	code: AudienceWarningCode;
	/** One sentence: what looks wrong and what the service will compare it with. */
	message: string;
}

/** Warnings for an audience as typed; empty when nothing is visibly wrong (which does not make it right). */
export function checkAudience(text: string): AudienceWarning[] {
	const warnings: AudienceWarning[] = [];
	if (text.trim() === '') return warnings;
	if (/\s/.test(text)) {
		// An aud claim is compared as an exact string (RFC 7519 §4.1.3): a space copied with the URL makes another audience.
		warnings.push({
			code: 'spaces',
			message: 'The audience contains a space; services compare it exactly, so a copied space makes it a different audience.',
		});
	}
	const value = text.trim();
	if (oauthClientIdPattern.test(value)) {
		warnings.push({
			code: 'client-id',
			message:
				'This is an OAuth client ID: right for IAP (its programmatic client ID), but Cloud Run, Cloud Functions ' +
				'and API Gateway want the service URL. ' +
				'gcloud auth print-identity-token without --audiences puts its own client ID here.',
		});
		return warnings;
	}
	if (/^https:\/\/www\.googleapis\.com\/auth\//.test(value)) {
		// Scopes name what an access token may do (https://developers.google.com/identity/protocols/oauth2/scopes).
		warnings.push({
			code: 'scope',
			message: 'This is an OAuth scope, not an audience: scopes belong to access tokens; an ID token’s audience is the service URL.',
		});
		return warnings;
	}
	if (value.startsWith('//iam.googleapis.com/')) {
		// The audience field of an external_account file (https://cloud.google.com/iam/docs/workload-identity-federation).
		warnings.push({
			code: 'federation',
			message: 'This is a workload identity pool provider: the audience of a federation config, not of the service you call.',
		});
		return warnings;
	}
	const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
	if (!scheme) {
		// Cloud Run compares the full URL, scheme included (https://cloud.google.com/run/docs/configuring/custom-audiences:
		// "by convention, the audience is the full URL of the target service"). A bare word may be a custom audience.
		if (/^[^/\s]+\.[a-z]{2,}(\/|$)/i.test(value)) {
			warnings.push({
				code: 'no-scheme',
				message: `The audience has no scheme: Cloud Run and Cloud Functions expect the full URL, https://${value}.`,
			});
		}
		return warnings;
	}
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return warnings;
	}
	if (scheme === 'http' && !isLoopbackHost(url.hostname)) {
		// Google's front end serves Cloud Run and Cloud Functions over https only; the audience is the https URL.
		const https = `https://${url.host}${url.pathname === '/' ? '' : url.pathname}`;
		warnings.push({code: 'http', message: `The audience uses http://; the service's URL, and so its audience, is ${https}.`});
	}
	if (url.search || url.hash) {
		warnings.push({code: 'query', message: 'The audience carries a query or fragment; the audience is the service URL without them.'});
	}
	const host = url.hostname.toLowerCase();
	if (isGoogleApiHost(host)) {
		// Google APIs take OAuth access tokens, not ID tokens ("Expected OAuth 2 access token": googleapis error bodies).
		warnings.push({code: 'google-api', message: `${host} is a Google API: it wants an access token (tab), not an ID token.`});
	}
	if (host.endsWith('.run.app')) {
		// The run.app URL is the service's origin; Google's Go sample mints for "https://my-cloud-run-service.run.app/"
		// (https://cloud.google.com/run/docs/samples/cloudrun-service-to-service-auth), and the path is not part of it.
		const origin = `${url.protocol}//${url.host}`;
		if (url.pathname !== '/') {
			warnings.push({
				code: 'run-app-path',
				message: `A Cloud Run audience is the service URL without a path: ${origin}, not ${url.pathname}.`,
			});
		} else if (value.endsWith('/')) {
			warnings.push({
				code: 'run-app-slash',
				message:
					`The audience ends with a slash: Cloud Run accepts it, but a custom audience or another checker ` +
					`compares the exact text ${origin}.`,
			});
		}
	}
	if (host.endsWith('.cloudfunctions.net') && url.pathname.replace(/\/+$/, '') === '') {
		// 1st gen functions want the function's full URL (google-auth-library-nodejs#1208, #1339, fixed in its samples by #1340).
		warnings.push({
			code: 'function-path',
			message: 'A Cloud Functions (1st gen) audience is the full function URL, https://REGION-PROJECT.cloudfunctions.net/FUNCTION.',
		});
	}
	return warnings;
}

/** The warnings as sentences, for the live view's audience line. */
export function audienceWarnings(audience: string): string[] {
	return checkAudience(audience).map(warning => warning.message);
}
