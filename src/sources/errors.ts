import {readAnswer} from '../core/answer.js';
import type {CauseCode} from '../core/cause.js';
import {TokscopeError, type ErrorCode} from '../core/errors.js';
import {mintingCauses, type MintContext} from '../core/mint-causes.js';
import {iamMember} from '../core/google.js';
import {libraryFailure} from './library/failure.js';
import {redactSecrets} from '../core/redact.js';
import {command} from '../core/shell-quote.js';
import {terminalSafe} from '../core/terminal-safe.js';
import type {TokenType} from '../core/types.js';
import {hostOf, localHosts} from './endpoints.js';

/**
 * What was being minted, and through what: the minting causes' facts (core/mint-causes.ts: the endpoint, the
 * credential, the account, who called, the scopes and lifetime asked, how to sign in again), and the token wanted.
 */
export interface FailureContext extends MintContext {
	/** Which token was being minted. */
	want: TokenType;
	/** How sentences name the endpoint when it is none of the four (a credential_source.url): its own words and address. */
	endpoint?: string;
}

/** IAM Credentials' ceiling for an access token's lifetime, unless an organisation policy raises it (to 43200 s). */
export const defaultMaxLifetimeSeconds = 3600;

/**
 * What an auth endpoint answered, or why it gave none: the one shape explainEndpointFailure words. The library adapter
 * reads it out of whatever google-auth-library threw (libraryFailure); our own requests (the metadata server) make it.
 */
export type EndpointFailure =
	/**
	 * An HTTP answer: its status, and the OAuth error (`invalid_grant`), its description, or a Google API's message; its
	 * body and headers as read (bounded), for the causes its words name.
	 */
	| {
			kind: 'answer';
			status: number;
			oauthError?: string;
			description?: string;
			apiMessage?: string;
			url?: string;
			body?: string;
			headers?: Record<string, string>;
	  }
	/** No answer: the connection failed (`connection refused`, `host not found`, a system code), at `url` when known. */
	| {kind: 'network'; code: ErrorCode; network: string; url?: string}
	/** The answer went past the body limit. */
	| {kind: 'too-big'}
	/** A redirect: never followed (no credential request follows one), only named with where it pointed. */
	| {kind: 'redirect'; status: number; url?: string; location?: string}
	/** A 2xx answer that is not the JSON object every token answer is (an HTML page, an empty body, a bare string). */
	| {kind: 'unreadable'; status: number; url?: string; body: string}
	/**
	 * Anything else the library threw, in its own words; `javascript` when those are JavaScript's (a TypeError met on
	 * an answer it did not expect), `header` when a header value could not be sent (beyond Latin-1).
	 */
	| {kind: 'other'; message: string; javascript?: boolean; header?: boolean};

/** Turns whatever an auth endpoint (or the library talking to it) threw into one sentence: the cause and, where known, the fix. */
export function explainAuthFailure(error: unknown, context: FailureContext): TokscopeError {
	// Made below us (a deadline, an HTTP failure, a file): it already says what happened, with its code.
	if (error instanceof TokscopeError) return error;
	return explainEndpointFailure(libraryFailure(error), context);
}

export function explainEndpointFailure(failure: EndpointFailure, context: FailureContext): TokscopeError {
	if (failure.kind === 'too-big') {
		return new TokscopeError(
			'too-big',
			`${endpointName(context)} sent more than 1 MiB, far more than a token answer; reading stopped there.`,
		);
	}
	if (failure.kind === 'network') {
		// A chained credential fails at whichever hop is down (a subject-token URL under STS under IAM): name that hop.
		const where = failure.url;
		const proxy = where ? proxyFor(where) : undefined;
		const via = proxy ? ` through the proxy ${proxy} (from HTTPS_PROXY/HTTP_PROXY)` : '';
		return new TokscopeError(
			failure.code,
			where && !context.endpoint
				? `${where} could not be reached${via} (${failure.network}) while asking ${endpointName(context, false)} for a token.`
				: `${endpointName(context)} could not be reached (${failure.network}).`,
		);
	}
	if (failure.kind === 'redirect') return refusedRedirect(failure, context);
	if (failure.kind === 'unreadable') {
		const sent = failure.body.trim() ? quoted(failure.body, 80) : 'an empty body';
		// A server answering this way keeps doing so until someone fixes it.
		return new TokscopeError(
			'bad-answer',
			`${namedAt(context, failure.url)} answered HTTP ${failure.status} with ${sent}, not the JSON object a token answer is.`,
		);
	}
	if (failure.kind === 'other') {
		// JavaScript's own words ("Cannot convert argument to a ByteString…", "Cannot read properties of undefined") are
		// never shown: the one a user can act on is said in ours, the rest say whose answer could not be used.
		if (failure.header) {
			const sentence =
				`${endpointName(context)} could not be asked: a header value holds characters no HTTP header can carry ` + '(beyond Latin-1).';
			return new TokscopeError('usage', sentence);
		}
		if (failure.javascript)
			return new TokscopeError('bad-answer', `google-auth-library could not use what ${endpointName(context, false)} answered.`);
		return new TokscopeError('auth-failed', `${endpointName(context)} failed: ${fitForSentence(failure.message)}.`);
	}
	const named = namedCause(failure, context);
	if (named) return named;
	const {status, oauthError, description, apiMessage} = failure;

	if (context.via === 'iam' && (status === 401 || status === 403)) {
		const role = context.want === 'id' ? 'roles/iam.serviceAccountOpenIdTokenCreator' : 'roles/iam.serviceAccountTokenCreator';
		const target = context.serviceAccount ?? 'the target service account';
		// The caller's principal came from a credential file or a server: terminal-safe, and quoted for the shell.
		const member = `--member=${terminalSafe(iamMember(context.caller, 'user:YOU'))}`;
		const addBinding = ['gcloud', 'iam', 'service-accounts', 'add-iam-policy-binding'];
		const grant = command(...addBinding, context.serviceAccount ?? 'SA_EMAIL', member, `--role=${role}`);
		const kind = context.want === 'id' ? 'ID' : 'access';
		return new TokscopeError(
			'denied',
			status === 401
				? `IAM Credentials rejected the caller’s own token (HTTP 401), so it could not act as ${target}.`
				: `The caller may not mint ${kind} tokens for ${target}: it needs ${role} on that service account (IAM answered 403).`,
			{hint: `Grant it with: ${grant}`},
		);
	}
	if (context.via === 'iam' && status === 400 && (context.lifetimeSeconds ?? 0) > defaultMaxLifetimeSeconds) {
		const target = context.serviceAccount ?? 'the service account';
		return new TokscopeError(
			'denied',
			`IAM Credentials refused a lifetime of ${context.lifetimeSeconds} s: beyond ${defaultMaxLifetimeSeconds} s the organisation policy ` +
				`constraint constraints/iam.allowServiceAccountCredentialLifetimeExtension must list ${target}.`,
		);
	}
	if (context.via === 'iam' && status === 404) {
		const sentence = `IAM Credentials does not know the service account ${context.serviceAccount ?? '(unnamed)'} (HTTP 404)`;
		return new TokscopeError('not-found', `${sentence}: check the email, and that it was not deleted.`);
	}
	if (oauthError === 'invalid_grant') {
		return context.credential === 'user'
			? new TokscopeError('credential-rejected', 'The refresh token was revoked or has expired (invalid_grant).', {
					hint: context.signInAgain ? `Sign in again: ${context.signInAgain}` : 'Renew it with: gcloud auth application-default login',
				})
			: new TokscopeError(
					'credential-rejected',
					'The token endpoint rejected the service-account key (invalid_grant): the key may be deleted or ' +
						'disabled, or this machine’s clock is off.',
				);
	}
	// token-endpoint/dwd-client-not-authorised: an assertion naming a user (sub) whose client ID the Admin console lacks.
	if (oauthError === 'unauthorized_client' && context.via === 'oauth') {
		return new TokscopeError(
			'denied',
			'Domain-wide delegation is not authorised for this service account’s client ID and these scopes (unauthorized_client).',
			{
				hint:
					'A Workspace super admin authorises them at https://admin.google.com/ac/owl/domainwidedelegation; ' +
					'tokscope doctor --subject USER names both.',
			},
		);
	}
	if (oauthError === 'invalid_client') {
		const sentence = 'The token endpoint does not know this OAuth client (invalid_client); the credential file may be stale.';
		return new TokscopeError('credential-rejected', sentence, {hint: 'Renew it with: gcloud auth application-default login'});
	}
	if (status === 407) {
		const proxy = failure.url ? proxyFor(failure.url) : undefined;
		return new TokscopeError(
			'denied',
			`The proxy ${proxy ? `${proxy} ` : ''}asked for credentials (HTTP 407) before letting the request to ` +
				`${endpointName(context, false)} through.`,
			{hint: 'Give them in the proxy URL: HTTPS_PROXY=http://USER:PASSWORD@HOST:PORT'},
		);
	}
	const detail = apiMessage ?? description ?? oauthError;
	// A server's own trouble (5xx) or a rate limit (429) passes; any other answer repeats until something is fixed.
	return new TokscopeError(
		status >= 500 || status === 429 ? 'server-error' : 'rejected',
		`${endpointName(context)} answered HTTP ${status}${detail ? `: ${fitForSentence(detail)}` : ''}.`,
	);
}

/**
 * The refusal's own words, when they name why (core/mint-causes.ts: `invalid_rapt`, a deleted or disabled account, the
 * permission IAM names, STS's attribute condition, the metadata server's text): its sentence, its fix as the hint,
 * and every cause it names for doctor. Undefined when the words name nothing.
 */
function namedCause(failure: Extract<EndpointFailure, {kind: 'answer'}>, context: FailureContext): TokscopeError | undefined {
	if (!failure.body) return undefined;
	const answer = readAnswer({status: failure.status, headers: failure.headers ?? {}, body: failure.body});
	const causes = mintingCauses(answer, context);
	const [first] = causes;
	if (!first) return undefined;
	return new TokscopeError(mintingErrorCodes[first.code] ?? 'rejected', first.sentence, {
		...(first.fix ? {hint: `Fix: ${first.fix}`} : {}),
		causes,
	});
}

/** The code a minting cause's error is made with: what the live view (retry or not) and the exit status decide on. */
const mintingErrorCodes: Partial<Record<CauseCode, ErrorCode>> = {
	'reauth-required': 'credential-rejected',
	'invalid-jwt-signature': 'credential-rejected',
	'service-account-deleted': 'credential-rejected',
	'service-account-disabled': 'credential-rejected',
	'testing-app-refresh-expired': 'credential-rejected',
	'clock-skew': 'clock-off',
	'jwt-times-invalid': 'clock-off',
	'missing-permission': 'denied',
	'quota-project': 'denied',
	'dwd-not-authorised': 'denied',
	'wif-attribute-condition': 'denied',
	'wif-principal-binding': 'denied',
	'gke-wi-binding': 'denied',
	// Workload Identity's metadata server is ready a few seconds after the pod starts: this one passes by itself.
	'gke-metadata-not-ready': 'server-error',
	'no-service-account': 'no-credential',
	'metadata-account-not-attached': 'not-found',
	'wrong-token-kind': 'usage',
};

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

/** Words a server or a library chose, fit to stand inside one of our sentences: no secret, nothing unprintable, short. */
export function fitForSentence(text: string, maxLength = 300): string {
	return terminalSafe(redactSecrets(text)).slice(0, maxLength).replace(/\.$/, '');
}

/** The endpoint by its name, and its address when known (a sentence about a chain names the hop that misbehaved). */
function namedAt(context: FailureContext, url: string | undefined): string {
	return context.endpoint || !url ? endpointName(context) : `${endpointName(context)} (${url})`;
}

/** Text a server sent, inside our sentence: quoted, terminal-safe, without secrets, its start only. */
function quoted(text: string, maxLength: number): string {
	return `“${fitForSentence(text, maxLength)}${text.length > maxLength ? '…' : ''}”`;
}

/**
 * A redirect from an endpoint that was sent, or asked for, a credential: never followed (library/clients.ts,
 * io/http.ts), so nothing reached where it points, and a token that host would answer is never seen. Names the
 * endpoint at its address and where it pointed, terminal-safe and cut.
 */
function refusedRedirect(failure: {status: number; url?: string; location?: string}, context: FailureContext): TokscopeError {
	const {location} = failure;
	const to = location === undefined ? '' : ` to ${fitForSentence(location, 200)}${location.length > 200 ? '…' : ''}`;
	return new TokscopeError(
		'redirect',
		`${namedAt(context, failure.url)} answered with a redirect (HTTP ${failure.status})${to}: a credential request never follows ` +
			'a redirect, so nothing was sent there.',
	);
}
