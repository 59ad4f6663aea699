import {boundSubjectToken} from './subject-token-bounds.js';
import {
	ExternalAccountAuthorizedUserClient,
	ExternalAccountClient,
	Impersonated,
	JWT,
	OAuth2Client,
	UserRefreshClient,
	type AuthClient,
} from 'google-auth-library';
import {createPrivateKey} from 'node:crypto';
import {TokscopeError} from '../../core/errors.js';
import {googleTokenUrl} from '../../core/google.js';
import {isLoopbackUrl} from '../../core/hosts.js';
import type {RawToken} from '../../core/types.js';
import {defaultTimeoutMs} from '../../io/deadline.js';
import type {CredentialFile} from '../credential-file.js';
import {localHosts} from '../endpoints.js';
import {explainAuthFailure, fitForSentence} from '../errors.js';
import {rememberSecret} from '../../core/secrets.js';
import {UnreadableAnswer} from './failure.js';
import {keepSentence} from './kept-sentence.js';
import {IdTokenClient, LibraryClient, libraryAuth} from './client.js';
import {silenceLibraryWarnings} from './quiet.js';
import {maxLibraryResponseBytes, requestSignal} from './request-deadline.js';

// The only place credentials become google-auth-library clients. We construct each class ourselves: GoogleAuth's
// discovery runs `gcloud config config-helper` and probes the metadata server, which costs seconds. Each is handed out
// behind our own face (client.ts), so no source reaches into the library.

/**
 * Every client: loopback (the emulator) and the metadata server are never sent through a proxy, whatever HTTPS_PROXY
 * says. The list rides on the client rather than in process.env.NO_PROXY, which sources never write. (The library's
 * notices are silenced before each constructor, which is where it prints them.) Every request it sends has a body
 * limit and is aborted at the deadline of the call that made it (request-deadline.ts).
 */
function prepare<T extends AuthClient>(client: T): T {
	// Each client is made for one mint. The library refreshes a token that expires within 5 minutes whenever it is asked
	// for one: impersonation asks its caller's client twice in one mint (the token, then the call's headers), so a token
	// living less than that (the demo's 60 s) was fetched twice, two identical jwt-bearer or STS exchanges on the wire.
	client.eagerRefreshThresholdMillis = 0;
	// A federation client's STS exchange goes through a transporter of its own (a protected field in the library).
	const sts = (client as unknown as {stsCredential?: {transporter?: AuthClient['transporter']}}).stsCredential?.transporter;
	for (const transporter of [client.transporter, sts]) {
		if (!transporter) continue;
		transporter.defaults.noProxy = [...(transporter.defaults.noProxy ?? []), ...localHosts];
		transporter.interceptors.request.add({resolved: async options => bounded(options)});
		transporter.interceptors.response.add({resolved: async response => jsonObjectAnswer(response)});
	}
	return client;
}

type RequestOptions = Parameters<
	NonNullable<NonNullable<Parameters<AuthClient['transporter']['interceptors']['request']['add']>[0]>['resolved']>
>[0];

/**
 * gaxios reads a body whole and retries a timed-out request: `size` (node-fetch's limit, which gaxios sets only from a
 * per-call maxContentLength) stops reading past 1 MiB, and the call's own signal aborts it at the call's deadline. A
 * request made outside a deadline (none today) still gets one of its own.
 *
 * And no request follows a redirect: node-fetch would send the body again (a signed assertion, a refresh token with
 * the client's secret, a subject token) and, to the same host name on another port, the Authorization header, to
 * wherever Location points. 'manual' hands the 3xx back as the answer; gaxios rejects it as a status that is not 2xx
 * and explainAuthFailure says it as a refusal.
 */
function bounded(options: RequestOptions): RequestOptions {
	const limited = options as RequestOptions & {size?: number};
	limited.size ??= maxLibraryResponseBytes;
	options.redirect = 'manual';
	rememberSentSecrets(options);
	const deadline = requestSignal() ?? AbortSignal.timeout(defaultTimeoutMs);
	options.signal = options.signal ? AbortSignal.any([options.signal as AbortSignal, deadline]) : deadline;
	return options;
}

/** Form fields a credential request carries its secrets in (the signed assertion, the subject token, the PKCE verifier…). */
const secretFields = ['assertion', 'subject_token', 'actor_token', 'refresh_token', 'client_secret', 'code', 'code_verifier'];

/**
 * What the library is about to send that is secret, remembered by value (core/secrets.ts) before it leaves: the bearer
 * token, and a token request's secret fields. A server that echoes one back in an error is redacted whatever the shape.
 */
function rememberSentSecrets(options: RequestOptions): void {
	const authorization = options.headers instanceof Headers ? options.headers.get('authorization') : undefined;
	rememberSecret(authorization?.replace(/^bearer\s+/i, ''));
	const body = options.body ?? options.data;
	const form = body instanceof URLSearchParams ? body : typeof body === 'string' ? new URLSearchParams(body) : undefined;
	for (const field of secretFields) rememberSecret(form?.get(field) ?? undefined);
}

type LibraryResponse = Parameters<
	NonNullable<NonNullable<Parameters<AuthClient['transporter']['interceptors']['response']['add']>[0]>['resolved']>
>[0];

/**
 * Every answer the library reads a token from is a JSON object. Anything else (an HTML page, an empty body, a bare
 * string, bytes of another type) made it fail in JavaScript's words ("Cannot create property 'res' on string ''"),
 * later and blamed on whichever endpoint came next. It is refused here, where the answer and its address are known; a
 * subject token fetched as text (credential_source.url with format text) is the one answer that need not be JSON.
 */
async function jsonObjectAnswer(response: LibraryResponse): Promise<LibraryResponse> {
	const data: unknown = response.data;
	if (response.config.responseType === 'text' || (typeof data === 'object' && data !== null && !Array.isArray(data) && !isBlob(data)))
		return response;
	const body = isBlob(data) ? await data.text() : typeof data === 'string' ? data : (JSON.stringify(data) ?? '');
	throw new UnreadableAnswer(String(response.config.url), response.status, body);
}

/** gaxios hands a body of an unknown type over as a Blob (node-fetch's own, not the global class). */
function isBlob(data: unknown): data is {text(): Promise<string>} {
	return typeof data === 'object' && data !== null && typeof (data as {text?: unknown}).text === 'function';
}

/** The Node library ignores token_uri and always posts to Google; gcloud and Python honour it, and so do we. */
function honourTokenUri(client: AuthClient, tokenUri: unknown): void {
	if (typeof tokenUri !== 'string' || tokenUri === googleTokenUrl) return;
	if (isLoopbackUrl(tokenUri)) {
		// gaxios picks a proxy for Google's URL before the interceptor below swaps the URL; a loopback endpoint never
		// needs one, so Google's placeholder must not get one either (and no proxy agent is built for nothing).
		const defaults = client.transporter.defaults;
		defaults.noProxy = [...(defaults.noProxy ?? []), new URL(googleTokenUrl).hostname];
	}
	client.transporter.interceptors.request.add({
		resolved: async options => {
			if (String(options.url) === googleTokenUrl) {
				options.url = new URL(tokenUri);
				// gaxios chose a proxy agent for Google's URL before this interceptor ran; loopback never goes through one.
				if (isLoopbackUrl(tokenUri)) options.agent = undefined;
			}
			return options;
		},
	});
}

/** A key's client; with `subject`, its assertion names that Workspace user (domain-wide delegation). */
export function serviceAccountClient(file: CredentialFile, scopes: string[], subject?: string): IdTokenClient {
	silenceLibraryWarnings();
	const {json} = file;
	readablePrivateKey(json.private_key, file.path);
	const keyId = json.private_key_id as string | undefined;
	const client = prepare(new JWT({email: String(json.client_email), key: String(json.private_key), keyId, scopes, subject}));
	honourTokenUri(client, json.token_uri);
	return new IdTokenClient(client, audience => client.fetchIdToken(audience));
}

/**
 * The key is read here, before the library signs with it: a damaged one would otherwise surface as "The OAuth token
 * endpoint failed: error:1E08010C:DECODER routines::unsupported", blaming the endpoint in OpenSSL's words.
 */
function readablePrivateKey(key: unknown, path: string): void {
	try {
		createPrivateKey(String(key));
	} catch {
		throw new TokscopeError(
			'file',
			`The private_key in ${path} cannot be read as a private key (it is damaged, cut short or not PEM), so no token can be signed with it.`,
			{
				hint: 'Download a new key for the service account: gcloud iam service-accounts keys create KEY.json --iam-account=SA',
			},
		);
	}
}

export function userClient(json: Record<string, unknown>): LibraryClient {
	silenceLibraryWarnings();
	const tokenUri = typeof json.token_uri === 'string' ? json.token_uri : googleTokenUrl;
	return new LibraryClient(
		prepare(
			new UserRefreshClient({
				clientId: String(json.client_id),
				clientSecret: String(json.client_secret),
				refreshToken: String(json.refresh_token),
				endpoints: {oauth2TokenUrl: tokenUri},
			}),
		),
	);
}

/** What the code exchange answered, as the library parsed it (expires_in already turned into expiry_date). */
export interface ExchangedTokens {
	access_token?: string | null;
	refresh_token?: string | null;
	id_token?: string | null;
	expiry_date?: number | null;
	scope?: string;
	token_type?: string | null;
	/** `expires_in` as the server said it: the library replaces it with an expiry_date (a word becomes NaN). */
	expires_in?: unknown;
}

/** The sign-in's code exchange: posted to the client file's token_uri, with the client's secret and the PKCE verifier. */
export async function exchangeAuthorizationCode(options: {
	clientId: string;
	clientSecret: string;
	tokenUri: string;
	redirectUri: string;
	code: string;
	verifier: string;
}): Promise<{tokens: ExchangedTokens; status: number | undefined}> {
	silenceLibraryWarnings();
	const {clientId, clientSecret, tokenUri, redirectUri} = options;
	const client = prepare(new OAuth2Client({clientId, clientSecret, redirectUri, endpoints: {oauth2TokenUrl: tokenUri}}));
	let expiresIn: unknown;
	client.transporter.interceptors.response.add({
		resolved: async response => {
			expiresIn = (response.data as {expires_in?: unknown} | undefined)?.expires_in;
			return response;
		},
	});
	const answer = await client.getToken({code: options.code, codeVerifier: options.verifier, redirect_uri: redirectUri});
	return {tokens: {...answer.tokens, expires_in: expiresIn}, status: answer.res?.status};
}

/**
 * A federated (workload identity) client that returns the STS token itself; impersonation is layered on by us. The
 * library's executable runner reads its gate only from the process: a source whose environment opened it (external.ts
 * checks) opens it there too, the one write to process.env in src/sources.
 */
export function externalClient(file: CredentialFile, env: NodeJS.ProcessEnv): LibraryClient {
	silenceLibraryWarnings();
	const executable = Boolean((file.json.credential_source as {executable?: unknown} | undefined)?.executable);
	if (executable && env.GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES === '1') process.env.GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES = '1';
	const json = {...file.json};
	delete json.service_account_impersonation_url;
	let client: AuthClient | null;
	try {
		client = ExternalAccountClient.fromJSON(json as unknown as Parameters<typeof ExternalAccountClient.fromJSON>[0]);
	} catch (error) {
		// The library's checks of credential_source are exact; keep its words, without anything secret or unprintable.
		const why = fitForSentence(error instanceof Error ? error.message : String(error), 200);
		throw new TokscopeError('file', `The external_account file ${file.path} cannot be used: ${why}.`);
	}
	if (!client) throw new TokscopeError('file', `The external_account file ${file.path} has a credential_source this version cannot use.`);
	// The library reads the subject token itself: within limits (subject-token-bounds.ts).
	return new LibraryClient(prepare(boundSubjectToken(client)));
}

/** Workforce identity federation's user credential; its token_url comes from the file. */
export function externalUserClient(json: Record<string, unknown>): LibraryClient {
	silenceLibraryWarnings();
	const options = json as unknown as ConstructorParameters<typeof ExternalAccountAuthorizedUserClient>[0];
	return new LibraryClient(prepare(new ExternalAccountAuthorizedUserClient(options)));
}

/**
 * A client whose access token is whatever `fetchToken` returns: the metadata server's, from our own GET, to impersonate
 * on top of. The library's Compute client would find the server through process.env.GCE_METADATA_HOST, not through
 * the environment the source was given.
 */
export function tokenClient(fetchToken: () => Promise<RawToken>): LibraryClient {
	silenceLibraryWarnings();
	return new LibraryClient(prepare(new FetchedTokenClient(fetchToken)));
}

class FetchedTokenClient extends OAuth2Client {
	readonly #fetchToken: () => Promise<RawToken>;

	constructor(fetchToken: () => Promise<RawToken>) {
		super();
		this.#fetchToken = fetchToken;
		// As Compute does: an expired placeholder, so the first call asks refreshTokenNoCache for a token.
		this.credentials = {expiry_date: 1, refresh_token: 'fetched-token-placeholder'};
	}

	protected override async refreshTokenNoCache() {
		const raw = await keepSentence(this.#fetchToken)();
		return {tokens: {access_token: raw.token, token_type: 'Bearer', expiry_date: raw.expiresAt?.getTime() ?? null}, res: null};
	}
}

export interface ImpersonationTarget {
	/** The service account to act as. */
	target: string;
	/** Intermediate service accounts, in order. */
	delegates: string[];
	endpoint: string;
}

export function impersonatedClient(
	source: LibraryClient,
	target: ImpersonationTarget,
	scopes: string[],
	lifetimeSeconds = 3600,
): IdTokenClient {
	silenceLibraryWarnings();
	const client = prepare(
		new Impersonated({
			sourceClient: libraryAuth(source),
			targetPrincipal: target.target,
			delegates: target.delegates.map(email => `projects/-/serviceAccounts/${email}`),
			targetScopes: scopes,
			lifetime: lifetimeSeconds,
			endpoint: target.endpoint,
		}),
	);
	return new IdTokenClient(client, (audience, includeEmail) => client.fetchIdToken(audience, {includeEmail}));
}

/**
 * Domain-wide delegation through impersonation, as google-github-actions/auth's access_token_subject does: IAM
 * Credentials signs the assertion (signJwt, paid for by the caller) naming the user, and the token endpoint exchanges
 * it (https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signJwt).
 */
export function delegatedClient(
	caller: LibraryClient,
	target: ImpersonationTarget,
	options: {subject: string; scopes: string[]; tokenUrl: string},
): LibraryClient {
	const auth = libraryAuth(caller);
	return tokenClient(async () => {
		const now = Math.floor(Date.now() / 1000);
		const claims = {
			iss: target.target,
			sub: options.subject,
			scope: options.scopes.join(' '),
			aud: googleTokenUrl,
			iat: now,
			exp: now + 3600,
		};
		const signed = await auth.request<{signedJwt?: string}>({
			url: `${target.endpoint}/v1/projects/-/serviceAccounts/${encodeURIComponent(target.target)}:signJwt`,
			method: 'POST',
			data: {payload: JSON.stringify(claims), delegates: target.delegates.map(email => `projects/-/serviceAccounts/${email}`)},
		});
		const assertion = signed.data.signedJwt;
		if (!assertion) throw new TokscopeError('bad-answer', 'IAM Credentials signed no JWT (signJwt gave no signedJwt).');
		// The exchange is the token endpoint's, not IAM's: its refusal is worded as the token endpoint's.
		const exchanged = await auth.transporter
			.request<{access_token?: string; expires_in?: number}>({
				url: options.tokenUrl,
				method: 'POST',
				headers: {'content-type': 'application/x-www-form-urlencoded'},
				data: new URLSearchParams({grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion}).toString(),
			})
			.catch((error: unknown) => {
				throw explainAuthFailure(error, {want: 'access', via: 'oauth', credential: 'service-account'});
			});
		const {access_token: token, expires_in: expiresIn} = exchanged.data;
		if (!token) throw new TokscopeError('bad-answer', 'The token endpoint returned no access token for the delegated assertion.');
		return {
			token,
			type: 'access',
			scopes: options.scopes,
			...(typeof expiresIn === 'number' ? {expiresAt: new Date(Date.now() + expiresIn * 1000)} : {}),
			fetchedAt: new Date(),
			latencyMs: 0,
		};
	});
}
