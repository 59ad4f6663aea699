import {createHash, randomBytes} from 'node:crypto';
import {createServer, type Server} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {inspect} from 'node:util';
import type {Credentials} from 'google-auth-library';
import {TokscopeError} from '../core/errors.js';
import {maskToken, redactSecrets} from '../core/redact.js';
import {terminalSafe} from '../core/terminal-safe.js';
import type {RawToken} from '../core/types.js';
import {defaultTimeoutMs, withDeadline} from '../io/deadline.js';
import {explainAuthFailure} from './errors.js';
import {readOAuthClientFile, type OAuthClientFile} from './login-client.js';

// Signing in as a user with their own OAuth client: the authorization code flow with PKCE (RFC 7636, S256) and
// `state` (RFC 6749 §10.12), as installed apps do it (RFC 8252). Two ways back: a one-shot loopback server the browser
// is sent to, or the address the browser ended on pasted back (over SSH the redirect reaches the laptop, not here).
// Both are always open: a browser on this machine may still reach the server when the paste-back way was chosen.

/** How long the user has to answer the consent page; gcloud and oauth2l wait about as long. */
export const signInWaitMs = 5 * 60 * 1000;
export const defaultLoginScopes = ['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform'];

export type SignInWay = 'browser' | 'paste';

/** Whether a browser can open where tokscope runs, and the reason in words (shown with the URL). */
export function chooseWay(
	forced: SignInWay | undefined,
	env: NodeJS.ProcessEnv,
	platform: NodeJS.Platform = process.platform,
): {way: SignInWay; why: string} {
	if (forced === 'browser') return {way: 'browser', why: '--browser was given'};
	if (forced === 'paste') return {way: 'paste', why: '--no-browser was given'};
	if (env.SSH_CONNECTION || env.SSH_TTY) {
		const variable = env.SSH_CONNECTION ? 'SSH_CONNECTION' : 'SSH_TTY';
		return {way: 'paste', why: `you are connected over SSH (${variable} is set), so a browser here would open on the wrong machine`};
	}
	if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
		return {way: 'paste', why: 'there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set)'};
	}
	return {way: 'browser', why: 'a browser can open on this machine'};
}

/** A high-entropy verifier (43 characters, the minimum RFC 7636 allows, from 32 random bytes) and its S256 challenge. */
export function pkcePair(): {verifier: string; challenge: string} {
	const verifier = randomBytes(32).toString('base64url');
	return {verifier, challenge: createHash('sha256').update(verifier).digest('base64url')};
}

export function authorizationUrl(
	client: Pick<OAuthClientFile, 'authUri' | 'clientId'>,
	request: {redirectUri: string; scopes: string[]; state: string; challenge: string},
): string {
	const url = new URL(client.authUri);
	const params: Record<string, string> = {
		client_id: client.clientId,
		redirect_uri: request.redirectUri,
		response_type: 'code',
		scope: request.scopes.join(' '),
		state: request.state,
		code_challenge: request.challenge,
		code_challenge_method: 'S256',
		// A refresh token every time, even for a user who consented before (Google sends one only on consent).
		access_type: 'offline',
		prompt: 'consent',
	};
	for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
	return url.toString();
}

/**
 * One step of the sign-in, recorded as it happens for the live view's wire (the authorization URL, the answer that came
 * back, the code exchange). No secret enters it: the code is masked, the verifier and the tokens are never recorded.
 */
export type SignInRecord =
	| {step: 'authorize'; at: Date; url: string; way: SignInWay}
	| {step: 'redirect'; at: Date; via: 'loopback' | 'paste'; code?: string; state?: string; stateMatches: boolean; error?: string}
	| {
			step: 'exchange';
			at: Date;
			tokenUri: string;
			redirectUri: string;
			clientId: string;
			status?: number;
			latencyMs: number;
			/** The fields of the answer, by name (expires_in for the lifetime); never their values but those below. */
			returned: string[];
			expiresInSeconds?: number;
			scope?: string;
			tokenType?: string;
			error?: string;
	  };

/** What came back: a code, or the authorization server's error; `state` is absent only when just the code was pasted. */
export type Answer = {code: string; state?: string} | {error: string; description?: string; state?: string};

/**
 * Reads what the user pasted: the whole address the browser ended on (with or without http://), or just the code.
 * Undefined when it is neither.
 */
export function parseAnswer(text: string): Answer | undefined {
	const pasted = text.trim();
	if (!pasted) return undefined;
	const afterMark = pasted.includes('?') ? pasted.slice(pasted.indexOf('?') + 1).replace(/#.*$/, '') : undefined;
	const query = afterMark ?? (/^(code|error|state)=/.test(pasted) ? pasted : undefined);
	if (query !== undefined) {
		const params = new URLSearchParams(query);
		const state = params.get('state') ?? undefined;
		const error = params.get('error');
		if (error) return {error, description: params.get('error_description') ?? undefined, state};
		const code = params.get('code');
		return code ? {code, state} : undefined;
	}
	if (/\s|:\/\//.test(pasted) || pasted.length < 10) return undefined;
	// Copied out of the address bar, a code keeps its escapes (4%2F0A…).
	try {
		return {code: decodeURIComponent(pasted)};
	} catch {
		return undefined;
	}
}

/**
 * A signed-in user: the tokens the code exchange returned. The refresh token lives in a private field, so it is never
 * in JSON, util.inspect, a log or an error; only `authorizedUserFile()` (for --save) and the refresh itself read it.
 */
export class SignedIn {
	readonly #refreshToken: string | undefined;
	#firstAccess: RawToken | undefined;
	#firstId: string | undefined;

	constructor(
		readonly client: OAuthClientFile,
		tokens: {accessToken: RawToken; refreshToken?: string; idToken?: string},
		readonly scopes: string[],
		readonly email: string | undefined,
		/** How this sign-in went, step by step, for the wire. */
		readonly steps: readonly SignInRecord[] = [],
	) {
		this.#refreshToken = tokens.refreshToken;
		this.#firstAccess = tokens.accessToken;
		this.#firstId = tokens.idToken;
	}

	get canRefresh(): boolean {
		return this.#refreshToken !== undefined;
	}

	/** The exchange's own tokens, each handed out once: later asks refresh. */
	takeFirstAccessToken(): RawToken | undefined {
		const token = this.#firstAccess;
		this.#firstAccess = undefined;
		return token;
	}

	takeFirstIdToken(): string | undefined {
		const token = this.#firstId;
		this.#firstId = undefined;
		return token;
	}

	/** What a refresh needs (the authorized_user fields), for the library client that posts it. */
	refreshCredential(): Record<string, string> {
		if (!this.#refreshToken) {
			throw new TokscopeError('The token endpoint gave no refresh token at sign-in, so this sign-in cannot be refreshed: sign in again.');
		}
		const {clientId, clientSecret, tokenUri} = this.client;
		return {client_id: clientId, client_secret: clientSecret, refresh_token: this.#refreshToken, token_uri: tokenUri};
	}

	/**
	 * The file gcloud's `auth application-default login` writes (its keys, sorted as it sorts them), plus token_uri when
	 * the client's token endpoint is not Google's: without it no library would know where to refresh.
	 */
	authorizedUserFile(): string {
		const {token_uri: tokenUri, ...credential} = this.refreshCredential();
		const file = {
			account: this.email ?? '',
			...credential,
			...(tokenUri === 'https://oauth2.googleapis.com/token' ? {} : {token_uri: tokenUri}),
			type: 'authorized_user',
			universe_domain: 'googleapis.com',
		};
		return `${JSON.stringify(file, null, 2)}\n`;
	}

	toJSON() {
		const refreshToken = this.#refreshToken ? '[in memory]' : undefined;
		return {client: this.client.clientId, email: this.email, scopes: this.scopes, refreshToken};
	}

	[inspect.custom]() {
		return `SignedIn ${inspect(this.toJSON())}`;
	}
}

export type SignInStep = 'waiting' | 'exchanging';

export interface SignInFlow {
	client: OAuthClientFile;
	/** The authorization URL, whole: always shown on a line of its own. */
	url: string;
	redirectUri: string;
	way: SignInWay;
	why: string;
	/** When the sign-in is given up if no answer came. */
	deadline: Date;
	/** Settles true once the browser was asked to open, false when it could not be (or was not tried); never rejects. */
	browser: Promise<boolean>;
	step(): SignInStep;
	/** The steps so far, for the wire. */
	steps(): readonly SignInRecord[];
	onStep(listener: (step: SignInStep) => void): () => void;
	/** What the user pasted: a sentence when it is neither an address nor a code (the flow keeps waiting), else undefined. */
	answer(pasted: string): string | undefined;
	cancel(): void;
	/** The signed-in user, or a TokscopeError with one sentence; the loopback server is closed either way. */
	signedIn: Promise<SignedIn>;
}

export interface SignInOptions {
	/** Path of the OAuth client file. */
	clientSecret: string;
	scopes?: string[];
	way?: SignInWay;
	env?: NodeJS.ProcessEnv;
	platform?: NodeJS.Platform;
	/** Deadline of the code exchange. */
	timeoutMs?: number;
	/** How long to wait for the answer (5 minutes). */
	waitMs?: number;
	/** Opens the URL in a browser; `open` unless a test hands in another. */
	openBrowser?: (url: string) => Promise<unknown>;
}

const nothingWritten = 'nothing was written';

/** Starts a sign-in: reads the client file, opens the loopback server, and (the browser way) asks a browser to open. */
export async function startSignIn(options: SignInOptions): Promise<SignInFlow> {
	if (!options.clientSecret) {
		throw new TokscopeError('Signing in needs an OAuth client file: pass --client-secret FILE (a Desktop app client from the Cloud Console).');
	}
	const client = await readOAuthClientFile(options.clientSecret);
	const {way, why} = chooseWay(options.way, options.env ?? process.env, options.platform);
	const scopes = options.scopes?.length ? options.scopes : defaultLoginScopes;
	const {verifier, challenge} = pkcePair();
	const state = randomBytes(24).toString('base64url');
	const waitMs = options.waitMs ?? signInWaitMs;

	let settled = false;
	let currentStep: SignInStep = 'waiting';
	const listeners = new Set<(step: SignInStep) => void>();
	let resolve!: (user: SignedIn) => void;
	let reject!: (error: TokscopeError) => void;
	const signedIn = new Promise<SignedIn>((yes, no) => {
		resolve = yes;
		reject = no;
	});
	// A caller that gives up early may never await it.
	signedIn.catch(() => {});

	const steps: SignInRecord[] = [];
	const loopback = await listen(client, answer => receive(answer, 'loopback'));
	const redirectUri = loopback.redirectUri;
	const url = authorizationUrl(client, {redirectUri, scopes, state, challenge});
	steps.push({step: 'authorize', at: new Date(), url, way});
	const minutes = Math.round(waitMs / 60_000) || 1;
	const timer = setTimeout(() => fail(`No answer came back within ${minutes} minutes, so the sign-in was given up; ${nothingWritten}.`), waitMs);

	function finish(): void {
		settled = true;
		clearTimeout(timer);
		loopback.close();
	}

	function fail(sentence: string, hint?: string): void {
		if (settled) return;
		finish();
		reject(new TokscopeError(sentence, {hint}));
	}

	/** Judges an answer from either way; returns what the browser's tab should say. */
	function receive(answer: Answer, via: 'loopback' | 'paste'): {ok: boolean; page: string} {
		if (settled || currentStep !== 'waiting') return {ok: false, page: 'This sign-in is already over. You can close this tab.'};
		steps.push({
			step: 'redirect',
			at: new Date(),
			via,
			...('code' in answer ? {code: maskToken(answer.code)} : {error: clean(answer.error)}),
			...(answer.state === undefined ? {} : {state: clean(answer.state)}),
			stateMatches: answer.state === state,
		});
		if (answer.state !== undefined && answer.state !== state) {
			fail(
				`The answer's state does not match the one this sign-in sent, so it was refused (it belongs to another sign-in, or was forged); ` +
					`${nothingWritten}.`,
			);
			return {ok: false, page: 'This answer does not belong to the sign-in tokscope started, so it was refused. You can close this tab.'};
		}
		if ('error' in answer) {
			if (answer.error === 'access_denied') fail(`Access was denied on the consent page (access_denied); ${nothingWritten}.`);
			else {
				const said = answer.description ? `: ${clean(answer.description)}` : '';
				fail(`The authorization server answered ${clean(answer.error)}${said}; ${nothingWritten}.`);
			}
			return {ok: false, page: 'tokscope was told the sign-in did not go through. You can close this tab.'};
		}
		currentStep = 'exchanging';
		for (const listener of listeners) listener(currentStep);
		exchangeCode(client, {code: answer.code, verifier, redirectUri, scopes}, options.timeoutMs ?? defaultTimeoutMs, steps).then(
			user => {
				if (settled) return;
				finish();
				resolve(user);
			},
			(error: unknown) => {
				fail(error instanceof Error ? error.message : String(error), error instanceof TokscopeError ? error.hint : undefined);
			},
		);
		return {ok: true, page: 'tokscope received the answer. You can close this tab and go back to the terminal.'};
	}

	const browser =
		way === 'browser'
			? withDeadline((options.openBrowser ?? openInBrowser)(url), 5000, 'The browser')
					.then(() => true)
					.catch(() => false)
			: Promise.resolve(false);

	return {
		client,
		url,
		redirectUri,
		way,
		why,
		deadline: new Date(Date.now() + waitMs),
		browser,
		step: () => currentStep,
		steps: () => steps,
		onStep: listener => {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		answer: pasted => {
			const parsed = parseAnswer(pasted);
			if (!parsed) return 'Paste the whole address your browser ended on (http://127.0.0.1:…/?code=…&state=…), or just the code.';
			receive(parsed, 'paste');
			return undefined;
		},
		cancel: () => fail(`The sign-in was given up; ${nothingWritten}.`),
		signedIn,
	};
}

/** `open` starts the system's opener detached and never waits for the browser; a missing opener is a rejection. */
async function openInBrowser(url: string): Promise<unknown> {
	const {default: open} = await import('open');
	const child = await open(url, {wait: false});
	// An opener that fails later (xdg-open with nothing to open with) must not reach the terminal or the process.
	child.on('error', () => {});
	return child;
}

interface Loopback {
	redirectUri: string;
	close(): void;
}

/** The one-shot server the browser is sent back to: it answers the first request that carries a code or an error. */
async function listen(client: OAuthClientFile, receive: (answer: Answer) => {ok: boolean; page: string}): Promise<Loopback> {
	const sockets = new Set<Socket>();
	/** Sockets in the middle of an answer: they close once it is sent (Connection: close), not before. */
	const busy = new Set<Socket>();
	const {host, port, path} = client.redirect;
	let server: Server;
	const close = () => {
		server.close();
		// Browsers keep idle connections open; the server must not wait for them.
		for (const socket of sockets) if (!busy.has(socket)) socket.destroy();
	};
	server = createServer((request, response) => {
		busy.add(request.socket);
		response.on('close', () => busy.delete(request.socket));
		const url = new URL(request.url ?? '/', 'http://loopback');
		const params = url.searchParams;
		if (request.method !== 'GET' || url.pathname !== path || !(params.has('code') || params.has('error'))) {
			response.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8'}).end('Not found.\n');
			return;
		}
		const answer = parseAnswer(`?${url.searchParams.toString()}`);
		const {ok, page} = answer ? receive(answer) : {ok: false, page: 'That answer could not be read.'};
		const body = `<!doctype html>\n<html><head><meta charset="utf-8"><title>tokscope</title></head><body><p>${page}</p></body></html>\n`;
		const headers = {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close'};
		response.writeHead(ok ? 200 : 400, headers);
		response.end(body);
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	const bind = host === '[::1]' ? '::1' : '127.0.0.1';
	await new Promise<void>((done, failed) => {
		server.once('error', (error: NodeJS.ErrnoException) =>
			failed(
				new TokscopeError(
					error.code === 'EADDRINUSE'
						? `Port ${port} on ${host}, where the client file sends the browser back, is in use by another program.`
						: `tokscope could not listen on ${host} for the browser's answer (${error.code ?? error.message}).`,
				),
			),
		);
		server.listen(port, bind, () => done());
	});
	// A sign-in must never keep a finished command alive.
	server.unref();
	const bound = (server.address() as AddressInfo).port;
	return {redirectUri: `http://${host}:${bound}${path}`, close};
}

/** The code exchange at the client file's token_uri, with the PKCE verifier; its failures are one sentence each. */
async function exchangeCode(
	client: OAuthClientFile,
	request: {code: string; verifier: string; redirectUri: string; scopes: string[]},
	timeoutMs: number,
	steps: SignInRecord[] = [],
): Promise<SignedIn> {
	const [{signInClient}, {jwtClaim}] = await Promise.all([import('./clients.js'), import('./fetch-token.js')]);
	const {clientId, clientSecret, tokenUri} = client;
	const oauth = signInClient({clientId, clientSecret, tokenUri, redirectUri: request.redirectUri});
	const started = performance.now();
	let tokens: Credentials;
	const record = {step: 'exchange' as const, at: new Date(), tokenUri, redirectUri: request.redirectUri, clientId, returned: [] as string[]};
	try {
		const exchange = oauth.getToken({code: request.code, codeVerifier: request.verifier, redirect_uri: request.redirectUri});
		const answer = await withDeadline(exchange, timeoutMs, 'The OAuth token endpoint');
		tokens = answer.tokens;
		steps.push({...record, status: answer.res?.status, latencyMs: Math.round(performance.now() - started), ...answered(tokens)});
	} catch (error) {
		const failure = exchangeFailure(error);
		const status = (error as {response?: {status?: number}})?.response?.status;
		steps.push({...record, status, latencyMs: Math.round(performance.now() - started), error: failure.message});
		throw failure;
	}
	const fetchedAt = new Date();
	if (!tokens.access_token || !/^[\x21-\x7e]+$/.test(tokens.access_token)) {
		throw new TokscopeError(`The token endpoint's answer to the code exchange held no usable access token; ${nothingWritten}.`);
	}
	const granted = typeof tokens.scope === 'string' ? tokens.scope.split(' ').filter(Boolean) : request.scopes;
	const idToken = tokens.id_token ?? undefined;
	const email = idToken ? await jwtClaim(idToken, 'email') : undefined;
	const accessToken: RawToken = {
		token: tokens.access_token,
		type: 'access',
		scopes: granted,
		expiresAt: tokens.expiry_date ? new Date(tokens.expiry_date) : undefined,
		fetchedAt,
		latencyMs: Math.round(performance.now() - started),
	};
	const refreshToken = tokens.refresh_token ?? undefined;
	return new SignedIn(client, {accessToken, refreshToken, idToken}, granted, typeof email === 'string' ? email : undefined, steps);
}

/** What the code exchange answered, by field name: the tokens' values stay out of the record. */
type ExchangeAnswer = Pick<Extract<SignInRecord, {step: 'exchange'}>, 'returned' | 'expiresInSeconds' | 'scope' | 'tokenType'>;

function answered(tokens: Credentials): ExchangeAnswer {
	// gaxios turns expires_in into expiry_date: the answer itself said expires_in.
	const returned = Object.keys(tokens)
		.filter(name => tokens[name as keyof Credentials] != null)
		.map(name => (name === 'expiry_date' ? 'expires_in' : name));
	const expiresInSeconds = tokens.expiry_date ? Math.round((tokens.expiry_date - Date.now()) / 1000) : undefined;
	const scope = typeof tokens.scope === 'string' ? clean(tokens.scope) : undefined;
	const tokenType = typeof tokens.token_type === 'string' ? clean(tokens.token_type) : undefined;
	return {returned, expiresInSeconds, scope, tokenType};
}

function exchangeFailure(error: unknown): TokscopeError {
	const data = (error as {response?: {data?: {error?: unknown; error_description?: unknown}}})?.response?.data;
	if (data?.error === 'invalid_grant') {
		const said = typeof data.error_description === 'string' ? `: ${clean(data.error_description).replace(/\.$/, '')}` : '';
		return new TokscopeError(
			`The token endpoint refused the authorization code (invalid_grant${said}): it was not issued to this sign-in ` +
				`(the PKCE check failed), was already used, or expired; ${nothingWritten}.`,
			{hint: 'Start the sign-in again.'},
		);
	}
	if (data?.error === 'invalid_client') {
		return new TokscopeError(`The token endpoint does not know this OAuth client or its secret (invalid_client); ${nothingWritten}.`, {
			hint: 'Download the client file again from APIs & Services → Credentials.',
		});
	}
	if (data?.error === 'redirect_uri_mismatch') {
		return new TokscopeError(`The token endpoint says the redirect address does not match the one the code was issued for; ${nothingWritten}.`);
	}
	const explained = explainAuthFailure(error, {want: 'access', via: 'oauth', credential: 'user'});
	return new TokscopeError(`${explained.message.replace(/\.$/, '')}; ${nothingWritten}.`, {hint: explained.hint});
}

function clean(text: string): string {
	return terminalSafe(redactSecrets(text)).slice(0, 200);
}
