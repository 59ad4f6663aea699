import {checkAudience} from '../core/audience-check.js';
import {decodeToken, normalizeToken} from '../core/decode.js';
import {errorLines, formatError, TokscopeError} from '../core/errors.js';
import {maskToken} from '../core/redact.js';
import {terminalSafe, terminalSafeJson} from '../core/terminal-safe.js';
import type {TokenView} from '../core/types.js';
import {mintFailureCauses, effectiveKind, rankCauses, type SentToken} from '../doctor/causes.js';
import {readAnswer} from '../core/answer.js';
import {clockSkewSeconds, isSignInPage, readEvidence, type Evidence} from '../doctor/evidence.js';
import {exitCodeOf, formatReport, type DoctorReport, type Probe} from '../doctor/report.js';
import {candidateAudiences, classifyTarget, parseTargetUrl, type Target} from '../doctor/target.js';
import {httpRequest, type HttpAnswer} from '../io/http.js';
import {readStdin} from '../io/stdin.js';
import {writeOut} from '../io/stdout.js';
import type {TokenSource} from '../sources/types.js';

// `tokscope doctor URL`: the one command that calls the service. The reading of the answer and the ranking of causes
// are pure (src/doctor); this file does the I/O: mint, one call, the key fetch to check a refused token's signature,
// and, only when asked or when it costs nothing risky, a call without the token and the --probe table.

/** What doctor reads of a body: enough for any error page, never a download. */
export const doctorBodyBytes = 64 * 1024;
/** A server that never answers ends here: the whole doctor run stays well inside 20 s. */
export const doctorTimeoutMs = 10_000;
const maxProbes = 5;
/** Methods that change nothing: only for these does doctor repeat the call without a token. */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

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
export async function diagnose(options: DiagnoseOptions): Promise<DoctorReport> {
	return (await runDiagnosis(options)).report;
}

export async function runDiagnosis(options: DiagnoseOptions): Promise<{report: DoctorReport; timings: DoctorTimings}> {
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
			const raw = await timedMint(() =>
				target.wants === 'id' ? source.idToken({audience: target.audience!, includeEmail: true, format: 'full'}) : source.accessToken({}),
			);
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
			return await httpRequest(url.href, {
				method,
				headers: {...(bearer ? {authorization: `Bearer ${bearer}`} : {}), accept: '*/*', 'user-agent': 'tokscope-doctor'},
				...(['POST', 'PUT', 'PATCH'].includes(method) ? {body: ''} : {}),
				timeoutMs: options.timeoutMs ?? doctorTimeoutMs,
				maxBytes: doctorBodyBytes,
				truncate: true,
				what: url.origin,
				// Plain http goes only to loopback: a name such as localhost must resolve there when the socket dials it.
				...(url.protocol === 'http:' ? {lookup: (await import('../verify/fetch-policy.js')).policyLookup(true)} : {}),
			});
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
	const sent = sentToken(view, options.token === undefined);

	if (!evidence.accepted) {
		if (view.header && view.claims) {
			const at = performance.now();
			const {verifyToken} = await import('../verify/verify.js');
			sent.verification = await verifyToken(token, {timeoutMs: 5000, now: receivedAt}).catch(() => undefined);
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
			const candidates = candidateAudiences(url, {given: options.audience, named: expected});
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

function sentToken(view: TokenView, minted: boolean): SentToken {
	const claims = view.claims ?? {};
	const aud = claims.aud;
	const audiences =
		typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((value): value is string => typeof value === 'string') : [];
	const email = typeof claims.email === 'string' ? claims.email : undefined;
	return {
		kind: view.kind,
		audiences,
		issuer: typeof claims.iss === 'string' ? terminalSafe(claims.iss) : undefined,
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
			const raw = await timedMint(() => source.idToken({audience, includeEmail: true, format: 'full'}));
			const answer = await call(raw.token);
			probes.push({audience, status: answer.status, accepted: ![401, 403, 407].includes(answer.status)});
		} catch (error) {
			probes.push({audience, status: null, accepted: false, error: formatError(error).message.replace(/\.$/, '')});
		}
	}
	return probes;
}

export interface DoctorCommandOptions {
	url: string;
	source: TokenSource;
	/** The token itself, or `-` to read it from stdin. */
	token?: string;
	audience?: string;
	method?: string;
	probe: boolean;
	json: boolean;
	debug: boolean;
	/** performance.now() when the command began, before its modules loaded. */
	startedAt?: number;
}

/** `tokscope doctor`: exit 0 when the service accepted the call, 1 when it refused it, 2 when no call was made. */
export async function runDoctor(options: DoctorCommandOptions): Promise<number> {
	let token = options.token;
	if (token === '-') {
		try {
			if (process.stdin.isTTY) {
				throw new TokscopeError('usage', '--token - reads the token from standard input, which is a terminal.', {
					hint: 'Pipe it in: tokscope print-identity-token --audiences=URL | tokscope doctor URL --token -',
				});
			}
			token = await readStdin(process.stdin, 256 * 1024);
		} catch (error) {
			if (!(error instanceof TokscopeError)) throw error;
			process.stderr.write(errorLines(error));
			return 2;
		}
	}
	const {url, source, audience, method, probe: probing} = options;
	const {report, timings} = await runDiagnosis({url, source, token, audience, method, probe: probing});
	const printed = options.json ? `${terminalSafeJson(report, 2)}\n` : report.status !== null ? formatReport(report, new Date()) : '';
	try {
		if (printed) await writeOut(printed, 'the doctor report');
	} catch (error) {
		if (!(error instanceof TokscopeError)) throw error;
		// The verdict never reached the reader: neither 0 nor 1 may claim it did.
		process.stderr.write(`tokscope: ${terminalSafe(error.message)}\n`);
		return 2;
	}
	if (report.error !== undefined) {
		// Already shown as formatError shows every error: terminal-safe, secrets redacted.
		process.stderr.write(`tokscope: ${report.error}\n`);
		if (report.hint) process.stderr.write(`  ${report.hint}\n`);
		for (const cause of report.causes) {
			process.stderr.write(`  ${cause.code}: ${terminalSafe(cause.sentence)}${cause.fix ? ` Fix: ${terminalSafe(cause.fix)}` : ''}\n`);
		}
	}
	if (options.debug) {
		const total = options.startedAt === undefined ? timings.totalMs : performance.now() - options.startedAt;
		const own = total - timings.mintMs - timings.callMs - timings.keysMs;
		const ms = (value: number) => `${value.toFixed(1)} ms`;
		process.stderr.write(
			`tokscope debug: doctor took ${ms(total)}: minting ${ms(timings.mintMs)}, calls ${ms(timings.callMs)}, ` +
				`key fetches ${ms(timings.keysMs)}, its own work ${ms(own)}\n`,
		);
	}
	return exitCodeOf(report);
}
