import {checkAudience} from '../core/audience-check.js';
import {decodeToken, normalizeToken} from '../core/decode.js';
import {formatError, TokscopeError} from '../core/errors.js';
import {issuerTrust} from '../core/google.js';
import {maskToken} from '../core/redact.js';
import {command} from '../core/shell-quote.js';
import {terminalSafe} from '../core/terminal-safe.js';
import type {TokenView, Verification} from '../core/types.js';
import type {HttpAnswer} from '../io/http.js';
import type {TokenSource} from '../sources/types.js';
import {effectiveKind, mintFailureCauses, rankCauses, type SentToken} from './causes.js';
import {readAnswer} from '../core/answer.js';
import {clockSkewSeconds, isSignInPage, readEvidence, type Evidence} from './evidence.js';
import type {DoctorReport, Probe} from './report.js';
import {candidateAudiences, classifyTarget, mintFor, parseTargetUrl, tokenFor, type Target} from './target.js';

// The diagnosis: the one use case that calls the service, for `tokscope doctor` and the live view's try-it alike. The
// reading of the answer and the ranking of causes are pure (evidence.ts, causes.ts); this file runs the steps (mint,
// one call, the key fetch to check a refused token's signature, and, only when asked or when it costs nothing risky,
// a call without the token and the --probe table) through the I/O it is handed.

/** A server that never answers ends here: the whole doctor run stays well inside 20 s. */
export const doctorTimeoutMs = 10_000;
const maxProbes = 5;
/** Methods that change nothing: only for these does doctor repeat the call without a token. */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What the diagnosis does to the world, handed in (doctor/network.ts gives the real one): the call to the service and
 * the key fetch that checks a refused token's signature. The mint goes through the source, which is handed in too.
 */
export interface DiagnosisIo {
	/** One exchange with the service, bounded as io/http bounds it; plain http is dialled only on loopback. */
	call(url: URL, request: {method: string; bearer?: string; timeoutMs: number}): Promise<HttpAnswer>;
	/** A refused token's signature and times, or undefined when they could not be checked. */
	verify(token: string, judged: {at: Date; testIssuers: readonly string[]}): Promise<Verification | undefined>;
}

export interface DiagnoseOptions {
	url: string;
	/** Mints the token the target needs (and the --probe tokens); unused when `token` is given and no probe runs. */
	source?: TokenSource;
	/** The token the user's own program sends. */
	token?: string;
	audience?: string;
	method?: string;
	probe?: boolean;
	timeoutMs?: number;
	now?: () => Date;
	/** Issuers standing in for Google (the emulator's), as the environment names them: core/google's testIssuersOf. */
	testIssuers?: readonly string[];
}

/** Where the time went: the bench subtracts the network (mints, calls, key fetches) from the whole. */
export interface DoctorTimings {
	mintMs: number;
	callMs: number;
	keysMs: number;
	totalMs: number;
}

/**
 * The "try it" of the live view and the body of `doctor`: the report `--json` prints. Never throws for a failure the
 * user can act on: a call that could not be made is a report with `status: null` and `error` (exit status 2).
 */
export async function diagnose(options: DiagnoseOptions, io: DiagnosisIo): Promise<DoctorReport> {
	return (await runDiagnosis(options, io)).report;
}

export async function runDiagnosis(options: DiagnoseOptions, io: DiagnosisIo): Promise<{report: DoctorReport; timings: DoctorTimings}> {
	const started = performance.now();
	const timings: DoctorTimings = {mintMs: 0, callMs: 0, keysMs: 0, totalMs: 0};
	const clock = options.now ?? (() => new Date());
	const method = (options.method ?? 'GET').toUpperCase();
	const given = {url: terminalSafe(options.url).slice(0, 2000), method: terminalSafe(method).slice(0, 20)};
	const done = (report: DoctorReport) => {
		timings.totalMs = performance.now() - started;
		return {report, timings};
	};
	const failed = (
		error: unknown,
		target: Target | undefined,
		causes: DoctorReport['causes'] = [],
	): {report: DoctorReport; timings: DoctorTimings} => {
		const {message, hint} = formatError(error);
		const url = target?.url.href ?? given.url;
		const kind = target?.kind ?? 'unknown';
		return done({
			...given,
			url,
			status: null,
			accepted: false,
			target: {kind},
			token: null,
			causes,
			error: message,
			...(hint ? {hint} : {}),
		});
	};

	if (!/^[A-Z]{1,20}$/.test(method))
		return failed(new TokscopeError('usage', `"${given.method}" is not an HTTP method (GET, HEAD, POST, …).`), undefined);
	if (method === 'CONNECT') {
		const sentence = 'CONNECT opens a tunnel rather than calling the service, so doctor cannot send it; use GET, HEAD or POST.';
		return failed(new TokscopeError('usage', sentence), undefined);
	}
	let target: Target;
	try {
		// Where the token may go is decided before anything is minted.
		target = classifyTarget(parseTargetUrl(options.url), options.audience);
	} catch (error) {
		return failed(error, undefined);
	}
	const url = target.url;

	// The token: the user's own, or minted for what the host name says the target wants.
	let token: string;
	let view: TokenView;
	const timedMint = async <T>(work: () => Promise<T>): Promise<T> => {
		const at = performance.now();
		try {
			return await work();
		} finally {
			timings.mintMs += performance.now() - at;
		}
	};
	try {
		if (options.token !== undefined) {
			token = normalizeToken(options.token);
			view = decodeToken(token);
		} else {
			if (!options.source) throw new TokscopeError('no-credential', 'No token was given and no source to mint one.');
			const source = options.source;
			const raw = await timedMint(() => mintFor(source, tokenFor(target, {audience: options.audience})));
			token = raw.token;
			view = decodeToken(token);
			if (!view.expiresAt && raw.expiresAt) view = {...view, expiresAt: raw.expiresAt};
		}
	} catch (error) {
		return failed(error, target, mintFailureCauses(error));
	}

	const call = async (bearer: string | undefined): Promise<HttpAnswer> => {
		const at = performance.now();
		try {
			return await io.call(url, {method, bearer, timeoutMs: options.timeoutMs ?? doctorTimeoutMs});
		} finally {
			timings.callMs += performance.now() - at;
		}
	};

	let answer: HttpAnswer;
	try {
		answer = await call(token);
	} catch (error) {
		return failed(error, target);
	}
	const receivedAt = clock();
	const location = header(answer, 'location');
	// A redirect to sign-in is a refusal, read as one below; any other redirect is reported and never followed.
	if (answer.status >= 300 && answer.status < 400 && location && !isSignInPage(location)) {
		// Following it would hand the token to wherever the service points; say where instead.
		const to = terminalSafe(location).slice(0, 300);
		return failed(
			new TokscopeError(
				'redirect',
				`${url.origin} answered HTTP ${answer.status}, a redirect to ${to}; doctor never follows a redirect with the token.`,
				{
					hint: 'If that address is the service, run doctor on it.',
				},
			),
			target,
		);
	}

	const evidence = readEvidence({status: answer.status, headers: answer.headers, body: answer.body, truncated: answer.truncated});
	const testIssuers = options.testIssuers ?? [];
	const sent = sentToken(view, options.token === undefined, testIssuers);

	if (!evidence.accepted) {
		if (view.header && view.claims) {
			const at = performance.now();
			sent.verification = await io.verify(token, {at: receivedAt, testIssuers}).catch(() => undefined);
			timings.keysMs += performance.now() - at;
		}
		if (!sent.principal && options.source && options.token === undefined) {
			sent.principal = await options.source.describe().then(
				info => info.principal,
				() => undefined,
			);
		}
	}
	// A service that took the token may not need one: asked again without it, but only when repeating the call changes
	// nothing (GET, HEAD, OPTIONS). No credential goes along, so this costs no safety.
	let anonymous: Evidence | undefined;
	if (evidence.accepted && safeMethods.has(method)) {
		anonymous = await call(undefined).then(
			second => readEvidence({status: second.status, headers: second.headers, body: second.body}),
			() => undefined,
		);
	}

	// An accepted answer rarely says who served it; the refusal of the same call without a token does.
	const kind = effectiveKind(target, evidence.responder || !anonymous ? evidence : anonymous);
	const expected = evidence.expectedAudience;
	const details: NonNullable<DoctorReport['evidence']> = {
		...(evidence.wwwAuthenticate ? {wwwAuthenticate: evidence.wwwAuthenticate} : {}),
		...(evidence.bodyLine ? {body: evidence.bodyLine} : {}),
		...(evidence.truncated ? {bodyTruncated: true} : {}),
		maskedToken: maskToken(token),
	};
	const audienceWarnings = sent.audiences.flatMap(audience => checkAudience(audience).map(warning => warning.message));
	if (audienceWarnings.length > 0 && !evidence.accepted) details.audienceWarnings = audienceWarnings;

	let probes: Probe[] | undefined;
	if (options.probe) {
		const skipped = probeSkipped(evidence, kind, options.source);
		if (skipped) details.probeSkipped = skipped;
		else {
			const candidates = candidateAudiences(url, {given: options.audience});
			// What the answer names is the service's word, not the user's: suggested with the command, never minted unasked.
			if (expected && !candidates.includes(expected)) {
				details.namedAudience = {audience: expected, command: command('tokscope', 'doctor', url.href, `--audience=${expected}`)};
			}
			probes = await probe(candidates, options.source!, call, timedMint, {
				audience: sent.audiences[0],
				status: answer.status,
				accepted: evidence.accepted,
			});
		}
	}

	// Keys in the contract's order (DESIGN.md), so the document reads the same every time.
	return done({
		url: url.href,
		method,
		status: answer.status,
		accepted: evidence.accepted,
		target: {kind},
		token: {
			kind: view.kind,
			audience: typeof view.claims?.aud === 'string' || Array.isArray(view.claims?.aud) ? (view.claims.aud as string | string[]) : null,
			issuer: sent.issuer ?? null,
			principal: sent.principal ?? null,
			expiresAt: view.expiresAt?.toISOString() ?? null,
		},
		causes: rankCauses({
			...{target, evidence, token: sent, receivedAt, anonymous},
			answer: readAnswer({status: answer.status, headers: answer.headers, body: answer.body}),
			...(options.token === undefined && options.source ? {sourceId: options.source.id} : {}),
		}),
		...(expected ? {expectedAudience: expected} : {}),
		...(evidence.serverDate ? {clockSkewSeconds: clockSkewSeconds(evidence.serverDate, receivedAt)} : {}),
		...(probes ? {probes} : {}),
		evidence: details,
	});
}

function header(answer: HttpAnswer, name: string): string | undefined {
	const value = answer.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function sentToken(view: TokenView, minted: boolean, testIssuers: readonly string[]): SentToken {
	const claims = view.claims ?? {};
	const aud = claims.aud;
	const audiences =
		typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((value): value is string => typeof value === 'string') : [];
	const email = typeof claims.email === 'string' ? claims.email : undefined;
	return {
		kind: view.kind,
		audiences,
		issuer: typeof claims.iss === 'string' ? terminalSafe(claims.iss) : undefined,
		// Google's, or a stand-in the environment names (the emulator's): the one rule inspect and the live view judge by.
		trustedIssuer: typeof claims.iss === 'string' && issuerTrust(claims.iss, testIssuers) !== 'other',
		principal: email ? terminalSafe(email) : undefined,
		issuedAt: view.issuedAt ?? undefined,
		expiresAt: view.expiresAt ?? undefined,
		hasEmail: email !== undefined,
		minted,
	};
}

/** --probe is for a refused audience: it needs a source that mints ID tokens and a product that wants them. */
function probeSkipped(evidence: Evidence, kind: string, source: TokenSource | undefined): string | undefined {
	if (evidence.accepted) return 'not run: the call was accepted.';
	if (kind === 'google-api') return 'not run: Google APIs want access tokens, which have no audience.';
	if (evidence.status !== 401 && evidence.status !== 403) return 'not run: the refusal was not about the token.';
	if (!source) return 'not run: no source to mint ID tokens with.';
	return undefined;
}

/** At most five mints and five calls: one per candidate audience, reusing the answer to the audience already sent. */
async function probe(
	candidates: string[],
	source: TokenSource,
	call: (bearer: string | undefined) => Promise<HttpAnswer>,
	timedMint: <T>(work: () => Promise<T>) => Promise<T>,
	first: {audience: string | undefined; status: number; accepted: boolean},
): Promise<Probe[]> {
	const probes: Probe[] = [];
	for (const audience of candidates.slice(0, maxProbes)) {
		if (audience === first.audience) {
			probes.push({audience, status: first.status, accepted: first.accepted});
			continue;
		}
		try {
			const raw = await timedMint(() => mintFor(source, {type: 'id', audience}));
			const answer = await call(raw.token);
			probes.push({audience, status: answer.status, accepted: ![401, 403, 407].includes(answer.status)});
		} catch (error) {
			probes.push({audience, status: null, accepted: false, error: formatError(error).message.replace(/\.$/, '')});
		}
	}
	return probes;
}
