import {decodeToken, normalizeToken} from '../core/decode.js';
import {terminalSafe} from '../core/terminal-safe.js';
import type {ExpectedClaims} from '../verify/expect.js';
import {judgeTimes, verifyToken, withExpectedClaims} from '../verify/verify.js';
import {formatInspection, inspectionJson} from './inspect-format.js';
import {readTokenFromStdin} from './read-input.js';
import {lookUpTokenInfo} from './tokeninfo.js';

export interface InspectOptions {
	token?: string;
	json: boolean;
	verify: boolean;
	jwksUri?: string;
	keyFile?: string;
	secret?: string;
	tokeninfo: boolean;
	/** --expect-audience / --expect-issuer: a token that says otherwise is invalid (exit 1). */
	expect?: ExpectedClaims;
}

/** `tokscope inspect`: exit 0 when the token decodes and is not proven invalid, 1 when it is invalid or unreadable. */
export async function inspect(options: InspectOptions): Promise<number> {
	const input = options.token === undefined || options.token === '-' ? await readTokenFromStdin() : options.token;
	const token = normalizeToken(input);
	const decoded = decodeToken(token);
	const view = options.verify
		? {...decoded, verification: await verifyToken(token, {jwksUri: options.jwksUri, keyFile: options.keyFile, secret: options.secret, expect: options.expect})}
		: {
				...decoded,
				verification: withExpectedClaims(judgeTimes({...decoded.verification, reason: 'Not checked (--no-verify).'}, decoded, new Date()), decoded.claims, options.expect),
			};
	// Sent only on request: tokeninfo is the one call that hands the token itself to someone else.
	const info = options.tokeninfo ? await lookUpTokenInfo(token, view.kind === 'google-access-token' || view.kind === 'opaque' ? 'access_token' : 'id_token') : undefined;
	if (options.json) {
		// --json stays one parseable document; the tokeninfo answer joins it only when asked for.
		process.stdout.write(inspectionJson(view, info && {endpoint: info.endpoint, answer: info.answer}));
	} else {
		process.stdout.write(formatInspection(view, new Date()));
		if (info) process.stdout.write(`\ntokeninfo (asked ${terminalSafe(info.endpoint)}):\n${terminalSafe(JSON.stringify(info.answer, null, 2), {newlines: true})}\n`);
	}
	return view.verification.status === 'invalid' ? 1 : 0;
}
