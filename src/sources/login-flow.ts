import {TokscopeError} from '../core/errors.js';
import {maskToken} from '../core/redact.js';
import {defaultTimeoutMs} from '../io/deadline.js';
import {parseAnswer, type Answer} from './login-answer.js';
import {askBrowser, chooseWay, type SignInWay} from './login-browser.js';
import {readOAuthClientFile, type OAuthClientFile} from './login-client.js';
import {fitForSentence} from './errors.js';
import {exchangeCode, nothingWritten} from './login-exchange.js';
import {listen} from './login-loopback.js';
import {authorizationUrl, newState, pkcePair} from './login-request.js';
import type {SignedIn, SignInRecord} from './signed-in.js';

// Signing in as a user with their own OAuth client: the authorization code flow with PKCE, as installed apps do it
// (RFC 8252). Two ways back: a one-shot loopback server the browser is sent to, or the address the browser ended on
// pasted back (over SSH the redirect reaches the laptop, not here). Both are always open: a browser on this machine may
// still reach the server when the paste-back way was chosen. This file runs the flow and its time limit; each step
// has a file of its own beside it (login-request, login-loopback, login-answer, login-browser, login-exchange).

export type {SignedIn, SignInRecord} from './signed-in.js';
export type {SignInWay} from './login-browser.js';

/** How long the user has to answer the consent page; gcloud and oauth2l wait about as long. */
export const signInWaitMs = 5 * 60 * 1000;
export const defaultLoginScopes = ['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform'];

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

/** Starts a sign-in: reads the client file, opens the loopback server, and (the browser way) asks a browser to open. */
export async function startSignIn(options: SignInOptions): Promise<SignInFlow> {
	if (!options.clientSecret) {
		throw new TokscopeError(
			'usage',
			'Signing in needs an OAuth client file: pass --client-secret FILE (a Desktop app client from the Cloud Console).',
		);
	}
	const client = await readOAuthClientFile(options.clientSecret);
	const {way, why} = chooseWay(options.way, options.env ?? process.env, options.platform);
	const scopes = options.scopes?.length ? options.scopes : defaultLoginScopes;
	const {verifier, challenge} = pkcePair();
	const state = newState();
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
	const givenUp = `No answer came back within ${minutes} minutes, so the sign-in was given up; ${nothingWritten}.`;
	const timer = setTimeout(() => fail(givenUp), waitMs);

	function finish(): void {
		settled = true;
		clearTimeout(timer);
		loopback.close();
	}

	function fail(failure: string | TokscopeError): void {
		if (settled) return;
		finish();
		reject(typeof failure === 'string' ? new TokscopeError('sign-in-failed', failure) : failure);
	}

	/** Judges an answer from either way; returns what the browser's tab should say. */
	function receive(answer: Answer, via: 'loopback' | 'paste'): {ok: boolean; page: string} {
		if (settled || currentStep !== 'waiting') return {ok: false, page: 'This sign-in is already over. You can close this tab.'};
		steps.push({
			step: 'redirect',
			at: new Date(),
			via,
			...('code' in answer ? {code: maskToken(answer.code)} : {error: fitForSentence(answer.error)}),
			...(answer.state === undefined ? {} : {state: fitForSentence(answer.state)}),
			stateMatches: answer.state === state,
		});
		// Login CSRF (RFC 6749 §10.12): any page can send the browser here with an attacker's code, so an address without
		// this sign-in's state is refused like one with another state. A code pasted alone was typed by the user.
		const typedByUser = via === 'paste' && 'codeAlone' in answer;
		if (!typedByUser && answer.state !== state) {
			fail(
				answer.state
					? `The answer's state does not match the one this sign-in sent, so it was refused (it belongs to another sign-in, or was forged); ` +
							`${nothingWritten}.`
					: `The answer carries no state, so it was refused (a missing state is a forged one: any web page can send your browser ` +
							`to this address); ${nothingWritten}.`,
			);
			return {ok: false, page: 'This answer does not belong to the sign-in tokscope started, so it was refused. You can close this tab.'};
		}
		if ('error' in answer) {
			if (answer.error === 'access_denied') fail(`Access was denied on the consent page (access_denied); ${nothingWritten}.`);
			else {
				const said = answer.description ? `: ${fitForSentence(answer.description)}` : '';
				fail(`The authorization server answered ${fitForSentence(answer.error)}${said}; ${nothingWritten}.`);
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
				fail(error instanceof TokscopeError ? error : error instanceof Error ? error.message : String(error));
			},
		);
		return {ok: true, page: 'tokscope received the answer. You can close this tab and go back to the terminal.'};
	}

	const browser = way === 'browser' ? askBrowser(url, options.openBrowser) : Promise.resolve(false);

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
