import {htmlText, looksLikeHtml} from './html-text.js';
import {parseJson} from './json.js';
import {terminalSafe} from './terminal-safe.js';

// What an answer from one of Google's front doors says, read once into structured facts: who wrote it, its error
// objects (google.rpc, OAuth, WWW-Authenticate), what its sentences mean (signals) and the values they name (a
// permission, a role, a project, the audience IAP expects). Causes read these facts, never the English.
// Every sentence recognised here is quoted in a fixture of test/fixtures/real-world/ (README there), with its source.

export interface AnswerInput {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	/** The start of the body, as read. */
	body: string;
}

/** Who wrote the answer, as its shape shows (not the product the URL names). */
export type Writer = 'iap' | 'esp' | 'google-front-end' | 'google-error-page' | 'google-api' | 'oauth' | 'metadata-server' | 'unknown';

/** A `WWW-Authenticate` challenge (RFC 6750 §3). */
export interface Challenge {
	scheme: string;
	error?: string;
	errorDescription?: string;
	scope?: string[];
	realm?: string;
}

/** The google.rpc error model (https://cloud.google.com/apis/design/errors), with the legacy `errors[]` folded in. */
export interface RpcError {
	code?: number;
	status?: string;
	message?: string;
	/** ErrorInfo reasons first (SERVICE_DISABLED, IAM_PERMISSION_DENIED, …), then legacy `errors[].reason`s. */
	reasons: string[];
	domain?: string;
	/** ErrorInfo metadata: service, consumer, permission, … */
	metadata: Record<string, string>;
	/** PreconditionFailure violations (an organisation policy names its constraint here). */
	violations: Array<{type?: string; subject?: string; description?: string}>;
}

/** An OAuth 2.0 error answer (RFC 6749 §5.2), with Google's `error_subtype`. */
export interface OAuthError {
	error: string;
	description?: string;
	subtype?: string;
	uri?: string;
}

/** What the answer's words mean, one name per documented sentence or reason. */
export const signals = [
	// Google's front end (Cloud Run, Cloud Functions)
	'token-not-verified',
	'not-authorized-to-invoke',
	'client-not-permitted',
	// IAP
	'iap-audience',
	'iap-no-email',
	'iap-expired',
	'iap-unparsable',
	'iap-empty-token',
	'iap-bad-signature',
	'iap-error-code',
	// ESP and ESPv2 (API Gateway, Cloud Endpoints)
	'jwt-missing',
	'jwt-expired',
	'jwks-fetch-failed',
	'jwt-issuer-not-configured',
	'jwt-audience-not-allowed',
	'jwt-malformed',
	'jwt-verification-failed',
	// Google APIs
	'credentials-invalid',
	'scope-insufficient',
	'permission-denied',
	'may-not-exist',
	'api-disabled',
	'quota-project-required',
	'quota-project-denied',
	'org-policy-denied',
	'member-type-unknown',
	'invalid-argument',
	'attribute-condition-required',
	'lifetime-too-long',
	// The token endpoint
	'invalid-jwt-signature',
	'jwt-times-invalid',
	'reauth-required',
	'account-not-found',
	'account-disabled',
	'client-deleted',
	'unauthorized-client',
	'refresh-token-revoked',
	'grant-bad-request',
	'audience-client-other-project',
	// STS
	'sts-audience-format',
	'sts-target-invalid',
	'sts-attribute-condition',
	'sts-attribute-too-long',
	'sts-issuer-mismatch',
	// The metadata server
	'gke-workload-identity-denied',
	'metadata-not-found',
	'metadata-could-not-fetch',
] as const;
export type Signal = (typeof signals)[number];

/** Values the answer names, terminal-safe. */
export interface Named {
	permission?: string;
	role?: string;
	/** An API's service name: run.googleapis.com. */
	service?: string;
	/** The project (number or ID) the answer blames: the consumer, the quota project. */
	project?: string;
	/** An organisation policy constraint: constraints/iam.allowedPolicyMemberDomains. */
	constraint?: string;
	/** The audience IAP says it expects, and the one it says it got. */
	expectedAudience?: string;
	sentAudience?: string;
	/** STS: the issuer in the token, and the ones the provider expects. */
	issuer?: string;
	expectedIssuers?: string;
	/** The resource a permission was denied on. */
	resource?: string;
	serviceAccount?: string;
	/** An IAM member given without its type prefix. */
	member?: string;
	/** IAP's "Error code N" page. */
	errorCode?: string;
	/** The path Google's front end says the client may not get. */
	path?: string;
	/** The scopes a `WWW-Authenticate: … error="insufficient_scope"` asks for. */
	scope?: string;
}

export interface ReadAnswer {
	status: number;
	writer: Writer;
	/** The one sentence that matters, terminal-safe, on one line, at most 300 characters. */
	message?: string;
	challenge?: Challenge;
	rpc?: RpcError;
	oauth?: OAuthError;
	signals: Signal[];
	named: Named;
}

/** Reads an answer. Pure and linear in the body's length; every string in the result is terminal-safe. */
export function readAnswer(input: AnswerInput): ReadAnswer {
	const {status, body} = input;
	const header = (name: string) => headerOf(input.headers, name);
	const looksJson = /^\s*[{[]/.test(body);
	// A body cut short (a thread's quote, a read limit) is no longer JSON; its fields can still be read one by one.
	const json = looksJson ? (parseJson(body) ?? salvagedJson(body)) : undefined;
	const rpc = rpcErrorOf(json);
	const oauth = rpc ? undefined : oauthErrorOf(json);
	const esp = rpc || oauth ? undefined : espMessageOf(json);
	const challenge = challengeOf(header('www-authenticate'));
	const html = looksLikeHtml(body);
	const title = html ? /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim() : undefined;
	const text = json === undefined ? (html ? htmlText(body) : body.trim()) : undefined;

	// The sentences to classify: the error objects' own words when the body is JSON, else the visible text.
	const texts = [rpc?.message, ...(rpc?.violations.map(v => v.description) ?? []), oauth?.description, esp, text];
	texts.push(challenge?.errorDescription);
	const words = texts.filter((item): item is string => typeof item === 'string' && item !== '').join('\n');

	const found = new Set<Signal>();
	for (const {signal, pattern} of sentences) if (pattern.test(words)) found.add(signal);
	for (const reason of rpc?.reasons ?? []) {
		const signal = reasonSignals[reason];
		if (signal) found.add(signal);
	}
	if (rpc?.status === 'INVALID_ARGUMENT') found.add('invalid-argument');
	if (oauth) for (const signal of oauthSignals(oauth)) found.add(signal);
	if (challenge?.error === 'insufficient_scope') found.add('scope-insufficient');
	const writer = writerOf(input, {json, rpc, oauth, esp, text: text ?? '', html, title, found});
	if (writer === 'metadata-server' && status === 404) found.add('metadata-not-found');
	// A local-ADC answer carries SERVICE_DISABLED for the OAuth client's project; what it asks for is a quota project.
	if (found.has('quota-project-required')) found.delete('api-disabled');

	const named = namedIn(words, rpc, challenge, body);
	const message = messageOf({rpc, oauth, esp, text, html, title});
	return shownSafely({
		status,
		writer,
		...(message ? {message} : {}),
		...(challenge ? {challenge} : {}),
		...(rpc ? {rpc} : {}),
		...(oauth ? {oauth} : {}),
		signals: signals.filter(signal => found.has(signal)),
		named,
	});
}

/**
 * Each product's sentences, with the fixture that quotes it. Patterns are anchored on words Google wrote, short and
 * without nested quantifiers: a hostile body cannot make them slow.
 */
const sentences: ReadonlyArray<{signal: Signal; pattern: RegExp}> = [
	// cloud-functions/audience-is-the-origin; Cloud Run's newer page (api-gateway/espv2-on-cloud-run-…)
	{signal: 'token-not-verified', pattern: /The access token could not be verified/i},
	{signal: 'not-authorized-to-invoke', pattern: /The request was not authorized to invoke this service/i},
	// cloud-run/*, cloud-functions/path-without-function-name
	{signal: 'client-not-permitted', pattern: /Your client does not have permission to (get URL|the requested URL)/i},
	// iap/aud-is-another-client-id, iap/id-token-without-email, iap/access-token-error-code-13
	{signal: 'iap-audience', pattern: /JWT audience doesn't match|doesn't match expected value/i},
	{signal: 'iap-no-email', pattern: /'email' claim/i},
	{signal: 'iap-expired', pattern: /Invalid IAP credentials: Expired|Invalid IAP credentials:[^\n]*\bexpired\b/i},
	{signal: 'iap-unparsable', pattern: /Invalid IAP credentials: Unable to parse JWT/i},
	{signal: 'iap-empty-token', pattern: /Invalid IAP credentials: empty token/i},
	{signal: 'iap-bad-signature', pattern: /(IAP credentials|GCIP ID token): JWT signature is invalid/i},
	{signal: 'iap-error-code', pattern: /There was a problem with your request\. Error code \d+/i},
	// api-gateway/*; GoogleCloudPlatform/esp-v2 tests; https://cloud.google.com/endpoints/docs/openapi/troubleshoot-jwt
	{signal: 'jwt-missing', pattern: /^Jwt is missing/im},
	{signal: 'jwt-expired', pattern: /^Jwt is expired/im},
	{signal: 'jwks-fetch-failed', pattern: /Jwks remote fetch is failed/i},
	{signal: 'jwt-issuer-not-configured', pattern: /Jwt issuer is not configured/i},
	{signal: 'jwt-audience-not-allowed', pattern: /Audiences in Jwt are not allowed|JWT validation failed: Audience not allowed/i},
	{signal: 'jwt-malformed', pattern: /Jwt is not in the form of Header\.Payload\.Signature/i},
	{signal: 'jwt-verification-failed', pattern: /^Jwt verification fails/im},
	// google-api/*
	{signal: 'credentials-invalid', pattern: /Request had invalid authentication credentials/i},
	{signal: 'scope-insufficient', pattern: /insufficient authentication scopes/i},
	{signal: 'permission-denied', pattern: /Permission '[^'\n]{1,200}' denied|Permission denied on '|does not have [\w.]{3,100} access to/i},
	{signal: 'may-not-exist', pattern: /\(or (it|resource) may not exist\)/i},
	{signal: 'api-disabled', pattern: /API has not been used in project \S+ before or it is disabled/i},
	{signal: 'quota-project-required', pattern: /requires a quota project, which is not set by default/i},
	{signal: 'quota-project-denied', pattern: /Caller does not have required permission to use project|serviceusage\.services\.use access/i},
	{signal: 'org-policy-denied', pattern: /do not belong to a permitted customer|is not in permitted organization/i},
	{signal: 'member-type-unknown', pattern: /is of an unknown type\. Please set a valid type prefix/i},
	{signal: 'attribute-condition-required', pattern: /attribute condition must reference one of the provider's claims/i},
	{signal: 'lifetime-too-long', pattern: /access token lifetime cannot exceed/i},
	// token-endpoint/*
	{signal: 'invalid-jwt-signature', pattern: /Invalid JWT Signature/i},
	{signal: 'jwt-times-invalid', pattern: /reasonable timeframe/i},
	{signal: 'reauth-required', pattern: /invalid_rapt|rapt_required/i},
	{signal: 'account-not-found', pattern: /Invalid grant: account not found|Account has been deleted/i},
	{signal: 'account-disabled', pattern: /Robot is disabled/i},
	{signal: 'client-deleted', pattern: /The OAuth client was deleted/i},
	{signal: 'unauthorized-client', pattern: /Client is unauthorized to retrieve access tokens|Unauthorized client or scope in request/i},
	{signal: 'refresh-token-revoked', pattern: /Token has been expired or revoked/i},
	{signal: 'audience-client-other-project', pattern: /The audience client and the client need to be in the same project/i},
	// sts/*
	{signal: 'sts-audience-format', pattern: /Invalid value for "audience"/i},
	{signal: 'sts-target-invalid', pattern: /The target service indicated by the "audience" parameters is invalid/i},
	{signal: 'sts-attribute-condition', pattern: /rejected by the attribute condition/i},
	{signal: 'sts-attribute-too-long', pattern: /mapped attribute exceeds the 127 bytes limit/i},
	{signal: 'sts-issuer-mismatch', pattern: /The issuer in ID Token \S+ does not match the expected ones/i},
	// metadata/*
	{signal: 'gke-workload-identity-denied', pattern: /Unable to generate access token; IAM returned 403/i},
	{signal: 'metadata-could-not-fetch', pattern: /Could not fetch URI \/computeMetadata\//i},
];

/** ErrorInfo and legacy reasons (https://cloud.google.com/apis/design/errors#error_info). */
const reasonSignals: Record<string, Signal | undefined> = {
	SERVICE_DISABLED: 'api-disabled',
	accessNotConfigured: 'api-disabled',
	ACCESS_TOKEN_SCOPE_INSUFFICIENT: 'scope-insufficient',
	insufficientPermissions: 'scope-insufficient',
	IAM_PERMISSION_DENIED: 'permission-denied',
	USER_PROJECT_DENIED: 'quota-project-denied',
	CONSUMER_INVALID: 'quota-project-denied',
};

/** The token endpoint's and STS's `error` codes (RFC 6749 §5.2, RFC 8693 §2.2.2) as far as they tell alone. */
function oauthSignals(oauth: OAuthError): Signal[] {
	const found: Signal[] = [];
	// google-auth's reauth.py treats both subtypes as a reauthentication to do.
	if (oauth.subtype === 'invalid_rapt' || oauth.subtype === 'rapt_required') found.push('reauth-required');
	if (oauth.error === 'unauthorized_client' && !/attribute condition/i.test(oauth.description ?? '')) found.push('unauthorized-client');
	if (oauth.error === 'invalid_target') found.push('sts-target-invalid');
	if (oauth.error === 'deleted_client') found.push('client-deleted');
	if (oauth.error === 'invalid_grant' && /^Bad Request$/i.test(oauth.description ?? '')) found.push('grant-bad-request');
	return found;
}

function writerOf(
	input: AnswerInput,
	seen: {json: unknown; rpc?: RpcError; oauth?: OAuthError; esp?: string; text: string; html: boolean; title?: string; found: Set<Signal>},
): Writer {
	const header = (name: string) => headerOf(input.headers, name) ?? '';
	// IAP marks what it writes (https://cloud.google.com/iap/docs/faq); its sentences say so without the header too.
	if (/^true$/i.test(header('x-goog-iap-generated-response'))) return 'iap';
	if (/^(Invalid IAP credentials|Invalid GCIP ID token|There was a problem with your request\. Error code)/i.test(seen.text)) return 'iap';
	if (seen.esp !== undefined || /^(Jwt |JWT validation failed)/.test(seen.text)) return 'esp';
	if (seen.rpc) return 'google-api';
	if (seen.oauth) return 'oauth';
	// The metadata server answers with Metadata-Flavor: Google and its own Server header, or in its own words.
	if (/^Google$/i.test(header('metadata-flavor')) || /Metadata Server/i.test(header('server'))) return 'metadata-server';
	if (seen.found.has('gke-workload-identity-denied') || seen.found.has('metadata-could-not-fetch')) return 'metadata-server';
	if (/\/computeMetadata\//.test(seen.text) && seen.html) return 'metadata-server';
	// Google's front end: "Error: Forbidden / Your client does not have permission …", Cloud Run's "not authorized".
	if (/^Error: [A-Z]/m.test(seen.text) || frontEndSignals.some(signal => seen.found.has(signal))) return 'google-front-end';
	if (/Google Frontend/i.test(header('server')) && seen.html) return 'google-front-end';
	// Google's own error page (the robot): "Error 404 (Not Found)!!1", "That’s an error."
	if (/!!1$/.test(seen.title ?? '') || /That’s an error\.|That's an error\./.test(seen.text)) return 'google-error-page';
	if (/^ESF$/i.test(header('server')) && seen.json !== undefined) return 'google-api';
	// A sentence quoted without its JSON still says who wrote it.
	if (apiSignals.some(signal => seen.found.has(signal))) return 'google-api';
	if (oauthWords.some(signal => seen.found.has(signal))) return 'oauth';
	return 'unknown';
}

const frontEndSignals: readonly Signal[] = ['client-not-permitted', 'not-authorized-to-invoke', 'token-not-verified'];
const apiSignals: readonly Signal[] = [
	'credentials-invalid',
	'scope-insufficient',
	'permission-denied',
	'api-disabled',
	'quota-project-required',
	'quota-project-denied',
	'org-policy-denied',
	'member-type-unknown',
	'attribute-condition-required',
	'lifetime-too-long',
];
/** The token endpoint's and STS's sentences: they answer in OAuth's error format. */
const oauthWords: readonly Signal[] = [
	'invalid-jwt-signature',
	'jwt-times-invalid',
	'reauth-required',
	'account-not-found',
	'account-disabled',
	'client-deleted',
	'unauthorized-client',
	'refresh-token-revoked',
	'audience-client-other-project',
	'sts-audience-format',
	'sts-target-invalid',
	'sts-attribute-condition',
	'sts-attribute-too-long',
	'sts-issuer-mismatch',
];

function rpcErrorOf(json: unknown): RpcError | undefined {
	const error = (json as {error?: unknown} | undefined)?.error;
	if (typeof error !== 'object' || error === null) return undefined;
	const object = error as {code?: unknown; status?: unknown; message?: unknown; details?: unknown; errors?: unknown};
	if (typeof object.code !== 'number' && typeof object.status !== 'string' && typeof object.message !== 'string') return undefined;
	const details = Array.isArray(object.details) ? (object.details as Array<Record<string, unknown>>) : [];
	const legacy = Array.isArray(object.errors) ? (object.errors as Array<Record<string, unknown>>) : [];
	const info = details.find(detail => typeof detail?.reason === 'string');
	const metadata: Record<string, string> = {};
	if (info && typeof info.metadata === 'object' && info.metadata !== null) {
		for (const [key, value] of Object.entries(info.metadata)) if (typeof value === 'string') metadata[key] = value;
	}
	const violations = details
		.flatMap(detail => (Array.isArray(detail?.violations) ? (detail.violations as Array<Record<string, unknown>>) : []))
		.map(violation => ({
			...(typeof violation.type === 'string' ? {type: violation.type} : {}),
			...(typeof violation.subject === 'string' ? {subject: violation.subject} : {}),
			...(typeof violation.description === 'string' ? {description: violation.description} : {}),
		}));
	const reasons = [info?.reason, ...legacy.map(item => item?.reason)].filter((reason): reason is string => typeof reason === 'string');
	return {
		...(typeof object.code === 'number' ? {code: object.code} : {}),
		...(typeof object.status === 'string' ? {status: object.status} : {}),
		...(typeof object.message === 'string' ? {message: object.message} : {}),
		reasons: reasons.map(reason => reason),
		...(typeof info?.domain === 'string' ? {domain: info.domain} : {}),
		metadata,
		violations,
	};
}

function oauthErrorOf(json: unknown): OAuthError | undefined {
	const object = json as {error?: unknown; error_description?: unknown; error_subtype?: unknown; error_uri?: unknown} | undefined;
	if (typeof object?.error !== 'string') return undefined;
	return {
		error: object.error,
		...(typeof object.error_description === 'string' ? {description: object.error_description} : {}),
		...(typeof object.error_subtype === 'string' ? {subtype: object.error_subtype} : {}),
		...(typeof object.error_uri === 'string' ? {uri: object.error_uri} : {}),
	};
}

/**
 * The fields of a JSON error whose end was cut: `"message": "…` up to the cut. Only flat string and number fields are
 * read, as the error models above use them; nested `details` are lost with the cut.
 */
function salvagedJson(body: string): unknown {
	const field = (name: string) => new RegExp(`"${name}"\\s*:\\s*"((?:[^"\\\\\\n]|\\\\.){0,2000})`).exec(body)?.[1];
	const unquote = (value: string | undefined) =>
		value?.replace(/\\(["\\/n])/g, (_, character: string) => (character === 'n' ? '\n' : character));
	const code = /"code"\s*:\s*(\d{3})/.exec(body)?.[1];
	const message = unquote(field('message'));
	const error = unquote(field('error'));
	if (/"error"\s*:\s*\{/.test(body)) {
		const reasons = [...body.matchAll(/"reason"\s*:\s*"([\w.]{1,100})"/g)].map(match => ({reason: match[1]}));
		return {error: {...(code ? {code: Number(code)} : {}), status: unquote(field('status')), message, errors: reasons}};
	}
	if (error !== undefined)
		return {error, error_description: unquote(field('error_description')), error_subtype: unquote(field('error_subtype'))};
	return undefined;
}

/** ESPv2 answers `{"code":401,"message":"Jwt is expired"}` (GoogleCloudPlatform/esp-v2 integration tests). */
function espMessageOf(json: unknown): string | undefined {
	const object = json as {code?: unknown; message?: unknown} | undefined;
	return typeof object?.code === 'number' && typeof object.message === 'string' ? object.message : undefined;
}

/** `Bearer realm="…", error="invalid_token", error_description="…", scope="a b"` (RFC 6750 §3). */
function challengeOf(value: string | undefined): Challenge | undefined {
	if (!value) return undefined;
	const scheme = /^\s*([A-Za-z][\w-]*)/.exec(value)?.[1] ?? '';
	const params = new Map<string, string>();
	for (const match of value.matchAll(/([a-z_]+)=(?:"([^"]*)"|([^\s,]*))/gi))
		params.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? '');
	const scope = params.get('scope');
	return {
		scheme: scheme,
		...(params.has('error') ? {error: params.get('error')!} : {}),
		...(params.has('error_description') ? {errorDescription: params.get('error_description')!} : {}),
		...(scope
			? {
					scope: scope
						.split(/\s+/)
						.filter(Boolean)
						.map(item => item),
				}
			: {}),
		...(params.has('realm') ? {realm: params.get('realm')!} : {}),
	};
}

/** The values the sentences name, each from the first place that names it. */
function namedIn(words: string, rpc: RpcError | undefined, challenge: Challenge | undefined, body: string): Named {
	const first = (...candidates: Array<string | undefined>) => candidates.find(candidate => candidate !== undefined && candidate !== '');
	const match = (pattern: RegExp) => pattern.exec(words)?.[1];
	const consumer = rpc?.metadata.consumer?.replace(/^projects\//, '');
	const named: Named = {
		permission: first(
			rpc?.metadata.permission,
			match(/Permission '([\w.]{3,100})' denied/i),
			match(/does not have ([\w.]{3,100}) access to/i),
			match(/with the ([\w.]{3,100}) permission/i),
		),
		role: match(/\b(roles\/[\w.]{3,100})/),
		service: first(
			rpc?.metadata.service,
			match(/The ([\w.-]{3,100}\.googleapis\.com) API requires a quota project/i),
			match(/\/apis\/api\/([\w.-]{3,100})\/overview/i),
		),
		project: first(
			consumer,
			match(/has not been used in project (\S{1,100}) before/i),
			match(/required permission to use project\s+(\S{1,100}?)\.?(?:\s|$)/i),
		),
		constraint: first(
			rpc?.violations.map(violation => violation.type).find(type => type?.startsWith('constraints/')),
			match(/\b(constraints\/[\w.]{3,100})/),
		),
		expectedAudience: match(/doesn't match expected value \(([^)\n]{1,300})\)/i),
		sentAudience: match(/'aud' claim \(([^)\n]{1,300})\)/i),
		issuer: match(/The issuer in ID Token (\S{1,300}) does not match/i),
		expectedIssuers: match(/does not match the expected ones: ([^\n]{1,300})/i),
		resource: first(match(/(?:on|for) resource '([^'\n]{1,300})'/i), match(/denied on '([^'\n]{1,300})'/i)),
		serviceAccount: first(
			match(/on service account ([\w.+-]{1,100}@[\w.-]{1,200})/i),
			// metadata/account-not-attached-to-vm: the metadata server's URI names the account asked for.
			match(/\/computeMetadata\/v1\/instance\/service-accounts\/([\w.+-]{1,100}@[\w.-]{1,200})\//i),
		),
		member: match(/The member (\S{1,300}) is of an unknown type/i),
		errorCode: match(/Error code (\d{1,6})/),
		path: first(
			/requested URL <code>([^<\n]{1,500})<\/code>/i.exec(body)?.[1],
			match(/the requested URL (\/\S{0,500}?)\.?(?:\n|$)/i),
			match(/get URL (\/\S{0,500}) from this server/i),
		),
		scope: challenge?.scope?.join(' '),
	};
	for (const key of Object.keys(named) as Array<keyof Named>) if (named[key] === undefined) delete named[key];
	return named;
}

function messageOf(seen: {
	rpc?: RpcError;
	oauth?: OAuthError;
	esp?: string;
	text?: string;
	html: boolean;
	title?: string;
}): string | undefined {
	const candidate =
		seen.rpc?.message ?? seen.oauth?.description ?? seen.oauth?.error ?? seen.esp ?? seen.text?.split('\n').join(seen.html ? ' — ' : ' ');
	const line = (candidate || seen.title || '').replace(/\s+/g, ' ').trim();
	if (!line) return undefined;
	return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** A header by name, whatever case the caller's map uses. */
function headerOf(headers: AnswerInput['headers'], name: string): string | undefined {
	const key = Object.keys(headers).find(candidate => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** Server text made safe to print and bounded, everywhere in what was read: a value is shown, never trusted. */
function shownSafely<T>(value: T): T {
	if (typeof value === 'string') {
		const shown = terminalSafe(value);
		return (shown.length > 500 ? `${shown.slice(0, 499)}…` : shown) as T;
	}
	if (Array.isArray(value)) return value.map(item => shownSafely(item)) as T;
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shownSafely(item)])) as T;
	}
	return value;
}
