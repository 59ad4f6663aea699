import {compactVerify, jwtVerify, type CompactVerifyGetKey, type JWTVerifyGetKey} from 'jose';
import {decodeToken, normalizeToken} from '../core/decode.js';
import {decodeTextJws} from '../core/jws.js';
import {TokscopeError} from '../core/errors.js';
import {googleJwksUri, issuerTrust, isServiceAccountEmail, serviceAccountJwksBase} from '../core/google.js';
import {formatDuration} from '../core/times.js';
import type {TokenView, Verification} from '../core/types.js';
import {HttpFailure} from '../io/http.js';
import {discoverKeySet} from './discovery.js';
import {expectationsMet, expectedClaimsMismatch, type ExpectedClaims} from './expect.js';
import {cachedRemoteKeys} from './remote-keys.js';
import {readVerificationKey, type Key} from './verification-key.js';

export interface VerifyOptions {
	/** Verify against this JWKS instead of the issuer's (the user chose it, so no fetch policy applies). */
	jwksUri?: string;
	/** A file holding a PEM public key or certificate, a JWK, or a JWKS. */
	keyFile?: string;
	/** Shared secret for HS256/384/512: text (UTF-8) or bytes (decoded from base64 by the caller). */
	secret?: string | Uint8Array;
	/** Deadline for each key fetch. */
	timeoutMs?: number;
	now?: Date;
	/** Where Google's keys live; only tests change it (nothing here may reach Google). Never taken from a token. */
	googleJwksUri?: string;
	/** Where service accounts' keys live (the email is appended); only tests change it. */
	serviceAccountJwksBase?: string;
	/** Claims the token must carry (`inspect --expect-audience/--expect-issuer`): a mismatch makes it invalid. */
	expect?: ExpectedClaims;
	/** Issuers standing in for Google, named by the environment (core/google's testIssuersOf): said so beside the issuer. */
	testIssuers?: readonly string[];
}

/**
 * A verdict with the expected claims applied: a token for another audience or issuer is invalid, whatever its signature.
 * The signature's own verdict and what the expectations found are kept beside it, to be shown apart.
 */
export function withExpectedClaims(
	verification: Verification,
	claims: Record<string, unknown> | null,
	expected: ExpectedClaims | undefined,
): Verification {
	if (!expected || (expected.audience === undefined && expected.issuer === undefined)) return verification;
	const signature = {status: verification.status, reason: verification.reason};
	const mismatch = expectedClaimsMismatch(claims, expected);
	if (!mismatch) return {...verification, signature, expected: {status: 'met', reason: expectationsMet(expected)}};
	const said = {signature, expected: {status: 'mismatch' as const, reason: mismatch}};
	// A verdict already invalid keeps its code (a bad signature stays the first thing to fix); the reason says both.
	if (verification.status === 'invalid') return {...verification, ...said, reason: `${mismatch} ${verification.reason}`};
	return {...verification, ...said, status: 'invalid', code: 'unexpected-claims', reason: mismatch};
}

/** Checks a token's signature and times with jose; never calls a host the token chose unless it is safe to. */
export async function verifyToken(input: string, options: VerifyOptions = {}): Promise<Verification> {
	const verification = await checkSignature(input, options);
	// A JWS that is not a JWT has neither times nor claims to judge: its signature is the whole verdict.
	if (decodeTextJws(normalizeToken(input))) return verification;
	const view = decodeToken(input);
	return withExpectedClaims(judgeTimes(verification, view, options.now ?? new Date()), view.claims, options.expect);
}

/**
 * Times alone make a token invalid (as the README promises for the exit status): an expired or not-yet-valid token whose
 * signature could not be checked (issuer unreachable, --no-verify) is invalid, not merely unverified.
 */
export function judgeTimes(verification: Verification, view: Pick<TokenView, 'expiresAt' | 'notBefore'>, now: Date): Verification {
	if (verification.status !== 'unverified') return verification;
	const unchecked = `its signature was not checked (${verification.reason.replace(/\.$/, '')})`;
	// The same 5 s of tolerance jose is given for a checked token.
	const expiredMs = view.expiresAt ? now.getTime() - view.expiresAt.getTime() : Number.NEGATIVE_INFINITY;
	if (expiredMs > 5000)
		return {
			...verification,
			status: 'invalid',
			code: 'expired',
			reason: `The token expired ${formatDuration(expiredMs)} ago; ${unchecked}.`,
		};
	if (view.notBefore && view.notBefore.getTime() - now.getTime() > 5000) {
		return {
			...verification,
			status: 'invalid',
			code: 'not-yet-valid',
			reason: `The token is not valid yet (not before ${view.notBefore.toISOString()}); ${unchecked}.`,
		};
	}
	return verification;
}

async function checkSignature(input: string, options: VerifyOptions): Promise<Verification> {
	const token = normalizeToken(input);
	const textJws = decodeTextJws(token);
	const view = textJws ?? decodeToken(input);
	if (!view.header || (!view.claims && !textJws)) {
		return {
			status: 'unverified',
			code: 'opaque',
			reason: 'An opaque token has no signature to check here; only its issuer can say whether it is valid (tokeninfo, on request).',
		};
	}
	const issuer = typeof view.claims?.iss === 'string' ? view.claims.iss : undefined;
	const keyId = typeof view.header.kid === 'string' ? view.header.kid : undefined;
	const trust = issuerTrust(issuer, options.testIssuers ?? []);
	const google = trust === 'google';
	const base = {issuer, keyId, google, ...(trust === 'test' ? {testIssuer: true} : {})};
	const alg = typeof view.header.alg === 'string' ? view.header.alg : JSON.stringify(view.header.alg ?? '');

	if (alg.toLowerCase() === 'none')
		return {...base, status: 'invalid', code: 'unsigned', reason: 'The token is unsigned (alg: none): anyone could have written it.'};
	if (alg.startsWith('HS') && !options.secret && !options.keyFile && !options.jwksUri) {
		return {
			...base,
			status: 'unverified',
			code: 'needs-secret',
			reason:
				`${alg} tokens are signed with a shared secret; give it with --secret-file ` +
				'(or --secret, or a {"kty":"oct"} JWK with --key) to check the signature.',
		};
	}

	let key: Key;
	let keySource: string;
	try {
		const chosen = await chooseKey(token, issuer, google, options);
		if ('unavailable' in chosen) return {...base, status: 'unverified', code: chosen.code, reason: chosen.unavailable};
		[key, keySource] = chosen;
	} catch (error) {
		// A key the user named but we cannot use is their mistake to fix: a sentence and a non-zero exit, not a verdict.
		if (error instanceof TokscopeError) throw error;
		return {...base, status: 'unverified', code: 'keys-unavailable', reason: `The key could not be read: ${(error as Error).message}`};
	}

	if (textJws) return verifyTextJws(token, key, keySource, base);
	try {
		// Google signs ID tokens with RS256 only; refusing other algorithms there closes the door to algorithm confusion.
		await jwtVerify(token, key as JWTVerifyGetKey, {
			currentDate: options.now,
			clockTolerance: 5,
			...(google && !options.secret && !options.keyFile && !options.jwksUri ? {algorithms: ['RS256']} : {}),
		});
		return {
			...base,
			status: 'valid',
			code: 'verified',
			reason: `Signature verified with ${keySource}${keyId ? ` (key ${keyId.slice(0, 12)})` : ''}.`,
		};
	} catch (error) {
		return {...base, ...verdictOfFailure(error, view.expiresAt, view.notBefore, options.now ?? new Date(), keySource)};
	}
}

async function chooseKey(
	token: string,
	issuer: string | undefined,
	google: boolean,
	options: VerifyOptions,
): Promise<[Key, string] | {unavailable: string; code: 'no-issuer' | 'keys-unavailable'}> {
	const timeoutDuration = options.timeoutMs ?? 5000;
	if (options.secret) {
		const bytes = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
		return [bytes, 'the shared secret you gave'];
	}
	if (options.keyFile) return [await readVerificationKey(options.keyFile, token), `the key in ${options.keyFile}`];
	if (options.jwksUri) return [cachedRemoteKeys(options.jwksUri, timeoutDuration), `the keys at ${options.jwksUri}`];
	if (!issuer) {
		const unavailable = 'The token names no issuer (iss), so there is nowhere to fetch its keys from; give --jwks-uri or --key.';
		return {unavailable, code: 'no-issuer'};
	}
	if (google) return [cachedRemoteKeys(options.googleJwksUri ?? googleJwksUri, timeoutDuration), 'Google’s published keys'];
	if (isServiceAccountEmail(issuer)) {
		// A fixed Google host with the email as one path segment: the token picks whose keys, never which host.
		const keysBase = options.serviceAccountJwksBase ?? serviceAccountJwksBase;
		return [
			cachedRemoteKeys(`${keysBase}${encodeURIComponent(issuer)}`, timeoutDuration),
			`the service account’s keys published by Google (${issuer})`,
		];
	}

	const keySet = await discoverKeySet(issuer, timeoutDuration);
	if (typeof keySet === 'string') return {unavailable: keySet, code: 'keys-unavailable'};
	const whose = (options.testIssuers ?? []).includes(issuer) ? 'standing in for Google' : 'not Google';
	return [cachedRemoteKeys(keySet.jwksUri, timeoutDuration, keySet.lookup), `the issuer’s published keys (${whose}: ${issuer})`];
}

/** A JWS that is not a JWT: only its signature can be checked (it has no claims, so no times). */
async function verifyTextJws(
	token: string,
	key: Key,
	keySource: string,
	base: Pick<Verification, 'issuer' | 'keyId' | 'google' | 'testIssuer'>,
): Promise<Verification> {
	const keyId = base.keyId;
	const byKey = `${keySource}${keyId ? ` (key ${keyId.slice(0, 12)})` : ''}`;
	try {
		await compactVerify(token, key as CompactVerifyGetKey);
		return {
			...base,
			status: 'valid',
			code: 'verified',
			reason: `Signature verified with ${byKey}; the payload is not a JSON claim set, so there are no times to check.`,
		};
	} catch (error) {
		return {...base, ...verdictOfFailure(error, null, null, new Date(), keySource)};
	}
}

function verdictOfFailure(
	error: unknown,
	expiresAt: Date | null,
	notBefore: Date | null,
	now: Date,
	keySource: string,
): Pick<Verification, 'status' | 'code' | 'reason'> {
	const code = (error as {code?: string}).code ?? '';
	const claim = (error as {claim?: string}).claim;
	switch (code) {
		case 'ERR_JWT_EXPIRED':
			return {
				status: 'invalid',
				code: 'expired',
				reason:
					`The signature is good but the token expired ${expiresAt ? formatDuration(now.getTime() - expiresAt.getTime()) : ''} ago.`.replace(
						'  ',
						' ',
					),
			};
		case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
			if (claim === 'nbf')
				return {
					status: 'invalid',
					code: 'not-yet-valid',
					reason: `The token is not valid yet (not before ${notBefore?.toISOString() ?? 'a later time'}).`,
				};
			if (claim === 'iat')
				return {
					status: 'invalid',
					code: 'issued-in-future',
					reason: 'The token claims to be issued in the future; check this machine’s clock.',
				};
			return {status: 'invalid', code: 'claim-failed', reason: `The ${claim ?? 'claims'} check failed.`};
		case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
			return {
				status: 'invalid',
				code: 'bad-signature',
				reason: `The signature does not match ${keySource}: the token was altered or signed by someone else.`,
			};
		case 'ERR_JWKS_NO_MATCHING_KEY':
			return {status: 'invalid', code: 'unknown-key', reason: `No key matching the token’s key id is in ${keySource}.`};
		case 'ERR_JOSE_ALG_NOT_ALLOWED':
		case 'ERR_JOSE_NOT_SUPPORTED':
			return {status: 'invalid', code: 'wrong-algorithm', reason: 'The token’s algorithm does not fit the key it should be checked with.'};
		case 'ERR_JWKS_TIMEOUT':
			return {
				status: 'unverified',
				code: 'keys-unavailable',
				reason: `Fetching ${keySource} timed out, so the signature could not be checked.`,
			};
		case 'ERR_JWKS_INVALID':
		case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
			return {status: 'unverified', code: 'keys-unavailable', reason: `${keySource} did not hold a usable key set.`};
		case 'ERR_JWS_INVALID':
		case 'ERR_JWT_INVALID':
		case 'ERR_JWK_INVALID':
			// The token itself breaks the JWS rules (no alg, bad crit, damaged signature part): no key could make it valid.
			return {
				status: 'invalid',
				code: 'malformed',
				reason: 'The token is not a well-formed signed JWT (its header or signature breaks the JWS rules).',
			};
		case 'ERR_JOSE_GENERIC':
			return {
				status: 'unverified',
				code: 'keys-unavailable',
				reason: `${keySource} answered with something other than a key set, so the signature could not be checked.`,
			};
		default:
			return {status: 'unverified', code: 'keys-unavailable', reason: unreachable(error, keySource)};
	}
}

/** Says what happened to the key fetch: a refused connection, a flood and a TLS failure are different stories. */
function unreachable(error: unknown, keySource: string): string {
	if (!(error instanceof HttpFailure)) return `${keySource} could not be reached, so the signature could not be checked.`;
	const reached = error.code === 'too-big' || error.code === 'closed' ? 'could not be read' : 'could not be reached';
	return `${keySource} ${reached} (${error.detail}), so the signature could not be checked.`;
}
