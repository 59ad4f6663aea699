import type {Verification} from '../core/types.js';
import {httpRequest} from '../io/http.js';
import type {DiagnosisIo} from './diagnose.js';

// The diagnosis's I/O as `tokscope doctor` and the live view's try-it give it: io/http for the call, and jose's
// verifier (loaded only when a token was refused) for the signature of the token the service turned away.

/** What doctor reads of a body: enough for any error page, never a download. */
export const doctorBodyBytes = 64 * 1024;

export const networkIo: DiagnosisIo = {
	call: async (url, {method, bearer, timeoutMs}) =>
		httpRequest(url.href, {
			method,
			headers: {...(bearer ? {authorization: `Bearer ${bearer}`} : {}), accept: '*/*', 'user-agent': 'tokscope-doctor'},
			...(['POST', 'PUT', 'PATCH'].includes(method) ? {body: ''} : {}),
			timeoutMs,
			maxBytes: doctorBodyBytes,
			truncate: true,
			what: url.origin,
			// Plain http goes only to loopback: a name such as localhost must resolve there when the socket dials it.
			...(url.protocol === 'http:' ? {lookup: (await import('../verify/fetch-policy.js')).policyLookup(true)} : {}),
		}),
	verify: async (token: string, {at, testIssuers}): Promise<Verification> => {
		const {verifyToken} = await import('../verify/verify.js');
		return verifyToken(token, {timeoutMs: 5000, now: at, testIssuers});
	},
};
