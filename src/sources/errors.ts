import {TokscopeError} from '../core/errors.js';
import {redactSecrets} from '../core/redact.js';
import {command} from '../core/shell-quote.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {hostOf, localHosts} from './endpoints.js';

export interface FailureContext {
	/** Which token was being minted. */
	want: 'access' | 'id';
	/** Which endpoint answered: IAM Credentials, an OAuth token endpoint, the metadata server, STS. */
	via: 'iam' | 'oauth' | 'metadata' | 'sts';
	/** The service account being impersonated, when via IAM. */
	serviceAccount?: string;
	/** Whether the credential is a user's refresh token or a service-account key. */
	credential?: 'user' | 'service-account' | 'external';
	/** The access-token lifetime asked of IAM (--lifetime), when one was. */
	lifetimeSeconds?: number;
	/** When via IAM: the principal calling IAM Credentials, which is the member that needs the role; undefined when unknown. */
	caller?: string;
	/** How sentences name the endpoint when it is none of the four (a credential_source.url): its own words and address. */
	endpoint?: string;
}

/**
 * The IAM policy member for a principal: `serviceAccount:` for a service account's email (they all end in
 * gserviceaccount.com, the Compute default account included), `user:` for any other email, and `user:YOU` for the
 * reader to fill in when the caller is not known (or is no email, as a federated principal is).
 */
export function iamMember(principal: string | undefined): string {
	if (!principal || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(principal)) return 'user:YOU';
	return /\.gserviceaccount\.com$/i.test(principal) ? `serviceAccount:${principal}` : `user:${principal}`;
}

/** IAM Credentials' ceiling for an access token's lifetime, unless an organisation policy raises it (to 43200 s). */
export const defaultMaxLifetimeSeconds = 3600;

interface HttpishError {
	code?: string | number;
	status?: number;
	message?: string;
	/** gaxios's answer carries fetch's Headers; the metadata source's own answer a plain record. */
	response?: {status?: number; data?: unknown; headers?: {get?(name: string): string | null} | Record<string, unknown>};
	config?: {url?: unknown};
	cause?: unknown;
}

/** A 2xx answer from a credential endpoint that is not the JSON object every token answer is (refused in clients.ts). */
export class UnreadableAnswer extends Error {
	constructor(
		readonly url: string,
		readonly status: number,
		/** What it sent, as text. */
		readonly body: string,
	) {
		super(`The answer (HTTP ${status}) is not a JSON object.`);
	}
}

/** Turns whatever an auth endpoint (or the library talking to it) threw into one sentence: the cause and, where known, the fix. */
export function explainAuthFailure(error: unknown, context: FailureContext): TokscopeError {
	if (error instanceof TokscopeError) {
		// Made below us (a deadline, an HTTP failure): a timeout or a dropped connection can get better by itself.
		error.retryable ??= transient.test(error.message);
		return error;
	}
	if (error instanceof UnreadableAnswer) return unreadable(error, context);
	const failure = (error ?? {}) as HttpishError;
	const status = failure.response?.status ?? (typeof failure.status === 'number' ? failure.status : undefined);
	const data = failure.response?.data as {error?: unknown; error_description?: unknown} | undefined;
	const oauthError = typeof data?.error === 'string' ? data.error : undefined;
	const apiMessage = typeof data?.error === 'object' && data.error ? String((data.error as {message?: unknown}).message ?? '') : undefined;
	const network = networkCode(failure);

	if (status && status >= 300 && status < 400) return refusedRedirect(failure, status, context);
	if (context.via === 'iam' && (status === 401 || status === 403)) {
		const role = context.want === 'id' ? 'roles/iam.serviceAccountOpenIdTokenCreator' : 'roles/iam.serviceAccountTokenCreator';
		const target = context.serviceAccount ?? 'the target service account';
		// The caller's principal came from a credential file or a server: terminal-safe, and quoted for the shell.
		const member = `--member=${terminalSafe(iamMember(context.caller))}`;
		const addBinding = ['gcloud', 'iam', 'service-accounts', 'add-iam-policy-binding'];
		const grant = command(...addBinding, context.serviceAccount ?? 'SA_EMAIL', member, `--role=${role}`);
		const kind = context.want === 'id' ? 'ID' : 'access';
		return new TokscopeError(
			status === 401
				? `IAM Credentials rejected the caller’s own token (HTTP 401), so it could not act as ${target}.`
				: `The caller may not mint ${kind} tokens for ${target}: it needs ${role} on that service account (IAM answered 403).`,
			{hint: `Grant it with: ${grant}`, retryable: false},
		);
	}
	if (context.via === 'iam' && status === 400 && (context.lifetimeSeconds ?? 0) > defaultMaxLifetimeSeconds) {
		const target = context.serviceAccount ?? 'the service account';
		return new TokscopeError(
			`IAM Credentials refused a lifetime of ${context.lifetimeSeconds} s: beyond ${defaultMaxLifetimeSeconds} s the organisation policy ` +
				`constraint constraints/iam.allowServiceAccountCredentialLifetimeExtension must list ${target}.`,
		);
	}
	if (context.via === 'iam' && status === 404) {
		const sentence = `IAM Credentials does not know the service account ${context.serviceAccount ?? '(unnamed)'} (HTTP 404)`;
		return new TokscopeError(`${sentence}: check the email, and that it was not deleted.`, {retryable: false});
	}
	if (oauthError === 'invalid_grant') {
		// Google's words for a signed request whose iat/exp this machine's clock got wrong (googleapis/google-api-php-client#1429).
		if (context.credential !== 'user' && /reasonable timeframe/i.test(String(data?.error_description ?? ''))) {
			return new TokscopeError(
				'The token endpoint refused the key’s signed request as outside a reasonable timeframe (invalid_grant): ' +
					'this machine’s clock is off.',
				{
					hint: 'Set the clock right (sudo timedatectl set-ntp true), then try again.',
				},
			);
		}
		return context.credential === 'user'
			? new TokscopeError('The refresh token was revoked or has expired (invalid_grant).', {
					hint: 'Renew it with: gcloud auth application-default login',
					retryable: false,
				})
			: new TokscopeError(
					'The token endpoint rejected the service-account key (invalid_grant): the key may be deleted or ' +
						'disabled, or this machine’s clock is off.',
					{retryable: false},
				);
	}
	if (oauthError === 'invalid_client') {
		return new TokscopeError('The token endpoint does not know this OAuth client (invalid_client); the credential file may be stale.', {
			hint: 'Renew it with: gcloud auth application-default login',
			retryable: false,
		});
	}
	if (tooBig(failure)) {
		return new TokscopeError(`${endpointName(context)} sent more than 1 MiB, far more than a token answer; reading stopped there.`);
	}
	if (network) {
		// A chained credential fails at whichever hop is down (a subject-token URL under STS under IAM): name that hop.
		const where = requestedUrl(failure);
		const proxy = where ? proxyFor(where) : undefined;
		const via = proxy ? ` through the proxy ${proxy} (from HTTPS_PROXY/HTTP_PROXY)` : '';
		return new TokscopeError(
			where && !context.endpoint
				? `${where} could not be reached${via} (${network}) while asking ${endpointName(context, false)} for a token.`
				: `${endpointName(context)} could not be reached (${network}).`,
			{retryable: true},
		);
	}
	if (status === 407) {
		const where = requestedUrl(failure);
		const proxy = where ? proxyFor(where) : undefined;
		return new TokscopeError(
			`The proxy ${proxy ? `${proxy} ` : ''}asked for credentials (HTTP 407) before letting the request to ` +
				`${endpointName(context, false)} through.`,
			{
				hint: 'Give them in the proxy URL: HTTPS_PROXY=http://USER:PASSWORD@HOST:PORT',
				retryable: false,
			},
		);
	}
	if (status) {
		const detail = apiMessage ?? (typeof data?.error_description === 'string' ? data.error_description : oauthError);
		// A server's own trouble (5xx) or a rate limit (429) passes; any other answer repeats until something is fixed.
		const retryable = status >= 500 || status === 429;
		return new TokscopeError(`${endpointName(context)} answered HTTP ${status}${detail ? `: ${fitForSentence(detail)}` : ''}.`, {
			retryable,
		});
	}
	return libraryFailure(error, failure, context);
}

/**
 * What is left: the library's own words, or JavaScript's when its code met something it did not expect. JavaScript's
 * ("Cannot convert argument to a ByteString because…", "Cannot read properties of undefined") are never shown: the
 * one a user can act on is named in ours, the rest say which endpoint's answer the library could not use.
 */
function libraryFailure(error: unknown, failure: HttpishError, context: FailureContext): TokscopeError {
	const message = failure.message ?? String(error);
	if (/ByteString/.test(message)) {
		return new TokscopeError(
			`${endpointName(context)} could not be asked: a header value holds characters no HTTP header can carry (beyond Latin-1).`,
			{retryable: false},
		);
	}
	if (error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError) {
		return new TokscopeError(`google-auth-library could not use what ${endpointName(context, false)} answered.`);
	}
	return new TokscopeError(`${endpointName(context)} failed: ${fitForSentence(message)}.`);
}

/** The sentences io/ words a timeout or a dropped connection with (deadline.ts, http.ts). */
const transient = new RegExp(
	[
		'did not (answer|finish its answer) within',
		'refused the connection',
		'closed the connection',
		'cannot be reached',
		'could not be reached',
	].join('|'),
);

export function endpointName(context: FailureContext, capital = true): string {
	if (context.endpoint) return capital ? context.endpoint : context.endpoint.replace(/^The /, 'the ');
	const name = {
		iam: 'IAM Credentials',
		oauth: 'The OAuth token endpoint',
		metadata: 'The metadata server',
		sts: 'The Security Token Service',
	}[context.via];
	return capital ? name : name.replace(/^The /, 'the ');
}

/**
 * The proxy gaxios sent this URL through, as it decides: the proxy variables unless NO_PROXY or our clients' own list
 * of local hosts names the host. gaxios reads the process's variables, not the environment a source was given.
 */
function proxyFor(url: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
	const proxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
	if (!proxy) return undefined;
	const {hostname, origin} = new URL(url);
	const bypass = [
		...(env.NO_PROXY ?? env.no_proxy ?? '')
			.split(',')
			.map(rule => rule.trim())
			.filter(Boolean),
		...localHosts,
	];
	if (
		bypass.some(
			rule =>
				rule === hostname ||
				rule === origin ||
				((rule.startsWith('.') || rule.startsWith('*.')) && hostname.endsWith(rule.replace(/^\*/, ''))),
		)
	)
		return undefined;
	// Never the user:password a proxy URL may carry.
	return terminalSafe(hostOf(proxy).replace(/^.*@/, ''));
}

/** The URL gaxios was asked for, without its query (which may carry a token), when the error records it. */
function requestedUrl(failure: HttpishError): string | undefined {
	const raw = failure.config?.url;
	if (!raw) return undefined;
	try {
		const url = new URL(String(raw));
		return terminalSafe(`${url.origin}${url.pathname}`).slice(0, 200);
	} catch {
		return undefined;
	}
}

/** Names what an endpoint sent instead of a token answer: its start, quoted, or that it was empty. */
function unreadable(answer: UnreadableAnswer, context: FailureContext): TokscopeError {
	const from = requestedUrl({config: {url: answer.url}});
	const named = context.endpoint || !from ? endpointName(context) : `${endpointName(context)} (${from})`;
	const sent = answer.body.trim() ? quoted(answer.body, 80) : 'an empty body';
	// A server answering this way keeps doing so until someone fixes it.
	return new TokscopeError(`${named} answered HTTP ${answer.status} with ${sent}, not the JSON object a token answer is.`, {
		retryable: false,
	});
}

/** Text a server sent, inside our sentence: quoted, terminal-safe, without secrets, its start only. */
function quoted(text: string, maxLength: number): string {
	const shown = fitForSentence(text, maxLength);
	return `“${shown}${text.length > maxLength ? '…' : ''}”`;
}

/**
 * A redirect from an endpoint that was sent, or asked for, a credential: never followed (clients.ts, io/http.ts), so
 * nothing reached where it points, and a token that host would answer is never seen. Names the endpoint at its
 * address and where it pointed, resolved as a client would resolve it, terminal-safe and cut.
 */
function refusedRedirect(failure: HttpishError, status: number, context: FailureContext): TokscopeError {
	const from = requestedUrl(failure);
	const named = context.endpoint || !from ? endpointName(context) : `${endpointName(context)} (${from})`;
	const headers = failure.response?.headers;
	const raw = typeof headers?.get === 'function' ? headers.get('location') : (headers as Record<string, unknown> | undefined)?.location;
	let location = typeof raw === 'string' ? raw : undefined;
	try {
		if (location !== undefined) location = new URL(location, String(failure.config?.url)).href;
	} catch {
		// Not a URL even against the request's: shown as it came.
	}
	const to = location === undefined ? '' : ` to ${fitForSentence(location, 200)}${location.length > 200 ? '…' : ''}`;
	return new TokscopeError(
		`${named} answered with a redirect (HTTP ${status})${to}: a credential request never follows a redirect, so nothing was sent there.`,
		{retryable: false},
	);
}

/** node-fetch's body limit (the `size` clients.ts sets), wherever gaxios put it in the error. */
function tooBig(failure: HttpishError): boolean {
	for (let current: unknown = failure, depth = 0; current && depth < 4; current = (current as HttpishError).cause, depth++) {
		if ((current as {type?: unknown}).type === 'max-size' || /over limit: \d+$/.test(String((current as HttpishError).message ?? '')))
			return true;
	}
	return false;
}

function networkCode(failure: HttpishError): string | undefined {
	for (let current: unknown = failure, depth = 0; current && depth < 4; current = (current as HttpishError).cause, depth++) {
		const code = (current as HttpishError).code;
		if (
			typeof code === 'string' &&
			/^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|ABORT_ERR)$/.test(code)
		) {
			return (
				{
					ECONNREFUSED: 'connection refused',
					ECONNRESET: 'connection dropped',
					ENOTFOUND: 'host not found',
					EAI_AGAIN: 'host not found',
					UND_ERR_SOCKET: 'connection dropped',
				}[code] ?? code
			);
		}
	}
	return undefined;
}

/** Words a server or a library chose, fit to stand inside one of our sentences: no secret, nothing unprintable, short. */
export function fitForSentence(text: string, maxLength = 300): string {
	return terminalSafe(redactSecrets(text)).slice(0, maxLength).replace(/\.$/, '');
}
