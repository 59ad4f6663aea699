import {decodeToken, normalizeToken} from '../core/decode.js';
import {decodeTextJws} from '../core/jws.js';
import {terminalSafe} from '../core/terminal-safe.js';
import type {TokenView} from '../core/types.js';
import type {ExpectedClaims} from '../verify/expect.js';
import {judgeTimes, verifyToken, withExpectedClaims} from '../verify/verify.js';
import {formatInspection, inspectionJson, paintFor, type InspectedView} from './inspect-format.js';
import {readSecret, type SecretEncoding} from './inspect-options.js';
import {readTokenFromStdin} from './read-input.js';
import {testIssuersOf, tokenInfoEndpoint} from '../core/google.js';
import {lookUpTokenInfo} from '../verify/tokeninfo.js';
import type {Terminal} from '../io/terminal.js';

export interface InspectOptions {
	token?: string;
	json: boolean;
	verify: boolean;
	jwksUri?: string;
	keyFile?: string;
	secret?: string;
	/** A file holding the secret, or - for standard input. */
	secretFile?: string;
	secretEncoding?: SecretEncoding;
	/** Judge the token's times at this instant instead of now (--at). */
	at?: Date;
	tokeninfo: boolean;
	/** --expect-audience / --expect-issuer: a token that says otherwise is invalid (exit 1). */
	expect?: ExpectedClaims;
}

/** `tokscope inspect`: exit 0 when the token decodes and is not proven invalid, 1 when it is invalid or unreadable. */
export async function inspect(options: InspectOptions, terminal: Terminal): Promise<number> {
	const {stdin, stdout, stderr} = terminal;
	const tokenFromStdin = options.token === undefined || options.token === '-';
	// The secret first when it comes from a file: a mistake there is reported before anything is pasted.
	const secret = await readSecret({...options, tokenFromStdin}, terminal);
	const input = tokenFromStdin ? await readTokenFromStdin(stdin, stderr) : options.token!;
	const token = normalizeToken(input);
	const decoded = decodeForInspection(token);
	const now = options.at ?? new Date();
	const view: InspectedView = options.verify
		? {
				...decoded,
				verification: await verifyToken(token, {
					jwksUri: options.jwksUri,
					keyFile: options.keyFile,
					secret,
					now: options.at,
					expect: options.expect,
					testIssuers: testIssuersOf(terminal.env),
				}),
			}
		: {
				...decoded,
				verification: withExpectedClaims(
					judgeTimes({...decoded.verification, reason: 'Not checked (--no-verify).'}, decoded, now),
					decoded.claims,
					options.expect,
				),
			};
	// Sent only on request: tokeninfo is the one call that hands the token itself to someone else.
	const info = options.tokeninfo
		? await lookUpTokenInfo(
				tokenInfoEndpoint(terminal.env),
				token,
				view.kind === 'google-access-token' || view.kind === 'opaque' ? 'access_token' : 'id_token',
			)
		: undefined;
	if (options.json) {
		// --json stays one parseable document; the tokeninfo answer joins it only when asked for.
		stdout.write(inspectionJson(view, info && {endpoint: info.endpoint, answer: info.fields}, options.at));
	} else {
		stdout.write(formatInspection(view, now, paintFor(stdout), {judgedAt: options.at}));
		if (info)
			stdout.write(
				`\ntokeninfo (asked ${terminalSafe(info.endpoint)}):\n${terminalSafe(JSON.stringify(info.fields, null, 2), {newlines: true})}\n`,
			);
	}
	return view.verification.status === 'invalid' ? 1 : 0;
}

/** A JWT or opaque token as core decodes it, or a JWS whose payload is not JSON (still a signature to check). */
function decodeForInspection(token: string): TokenView | InspectedView {
	try {
		return decodeToken(token);
	} catch (error) {
		const jws = decodeTextJws(token);
		if (jws) return jws;
		throw error;
	}
}
