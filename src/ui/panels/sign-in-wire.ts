import {terminalSafe} from '../../core/terminal-safe.js';
import {formatLocalTime} from '../../core/times.js';
import type {SignInRecord} from '../../sources/login-flow.js';
import type {PaneLine} from './details.js';

// The sign-in on the wire: the authorization code flow with PKCE as a teacher walks through it, each parameter of
// the authorization URL explained, the answer that came back, and the code exchange. The flow records its steps with
// the code already masked and no token values (sources/login-flow.ts); the refresh token is only ever named.

/** What each parameter of the authorization URL is for (RFC 6749 §4.1.1, RFC 7636 §4.3, Google's own two). */
const parameterMeanings: Record<string, string> = {
	client_id: 'which app asks: the OAuth client from your client file',
	redirect_uri: 'where the browser brings the answer back: a loopback address on this machine (RFC 8252)',
	response_type: '"code": an authorization code, exchanged below for the tokens',
	scope: 'what the tokens may do, and openid email for an ID token that says who you are',
	code_challenge: 'the SHA-256 of a secret verifier (PKCE): only the program holding the verifier can use the code',
	code_challenge_method: 'S256: the challenge is a SHA-256 hash, never the verifier itself',
	state: 'a random value that must come back unchanged: an answer from another sign-in (a forgery) is refused',
	access_type: '"offline": ask for a refresh token too, so tokscope can refresh without you',
	prompt: '"consent": show the consent page every time (Google sends a refresh token only on consent)',
};

const returnedMeanings: Record<string, string> = {
	access_token: '[redacted] — the access token: what Google APIs take',
	id_token: '[redacted] — the ID token: who you are, for this OAuth client (aud = its client ID)',
	refresh_token: 'kept in memory only, never shown or written — it mints new access tokens without you',
	expires_in: 'seconds the access token lives',
	scope: 'the scopes granted (you may have granted fewer than asked)',
	token_type: 'send it as Authorization: Bearer …',
};

const at = (date: Date) => formatLocalTime(date).slice(11);

export function signInLines(steps: readonly SignInRecord[]): PaneLine[] {
	const lines: PaneLine[] = [
		{text: 'How you signed in: the authorization code flow with PKCE, in three steps', bold: true},
		{text: 'The code is masked and the verifier and tokens are [redacted]; the refresh token is never shown.', meaning: 'muted'},
	];
	for (const record of steps) {
		lines.push({text: ''});
		if (record.step === 'authorize') lines.push(...authorizeLines(record));
		else if (record.step === 'redirect') lines.push(...redirectLines(record));
		else lines.push(...exchangeLines(record));
	}
	return lines.map(line => ({...line, text: terminalSafe(line.text)}));
}

function authorizeLines(record: Extract<SignInRecord, {step: 'authorize'}>): PaneLine[] {
	const url = new URL(record.url);
	const how = record.way === 'browser' ? 'opened in the browser' : 'printed, to open in a browser on any machine';
	const lines: PaneLine[] = [
		{text: `1. ${at(record.at)} The authorization URL (${how})`, bold: true, indent: 2},
		{text: `GET ${url.origin}${url.pathname}`, indent: 5},
	];
	for (const [name, value] of url.searchParams) {
		const meaning = parameterMeanings[name];
		lines.push({text: `${name}=${value}`, meaning: 'accent', indent: 5});
		if (meaning) lines.push({text: meaning, meaning: 'muted', indent: 7});
	}
	return lines;
}

function redirectLines(record: Extract<SignInRecord, {step: 'redirect'}>): PaneLine[] {
	const how = record.via === 'loopback' ? 'the browser came back to the loopback server' : 'the address the browser ended on, pasted';
	const lines: PaneLine[] = [{text: `2. ${at(record.at)} The redirect back (${how})`, bold: true, indent: 2}];
	if (record.code) {
		lines.push({text: `code=${record.code}`, meaning: 'accent', indent: 5});
		const said = 'the authorization code: used once, within minutes, and worthless without the verifier';
		lines.push({text: said, meaning: 'muted', indent: 7});
	}
	if (record.error) lines.push({text: `error=${record.error}`, meaning: 'error', indent: 5});
	if (record.state !== undefined) {
		lines.push({text: `state=${record.state}`, meaning: 'accent', indent: 5});
		const check = record.stateMatches ? '✓ the same state this sign-in sent' : '✗ not the state this sign-in sent: refused';
		lines.push({text: check, meaning: record.stateMatches ? 'valid' : 'error', indent: 7});
	} else {
		lines.push({text: 'no state: only the code was pasted, so there was nothing to compare', meaning: 'muted', indent: 7});
	}
	return lines;
}

function exchangeLines(record: Extract<SignInRecord, {step: 'exchange'}>): PaneLine[] {
	const outcome = record.error ? `failed: ${record.error}` : `HTTP ${record.status ?? '?'}`;
	const lines: PaneLine[] = [
		{text: `3. ${at(record.at)} The code exchange (tokscope to the token endpoint, no browser)`, bold: true, indent: 2},
		{text: `POST ${record.tokenUri}`, indent: 5},
		{text: `→ ${outcome} in ${record.latencyMs} ms`, meaning: record.error ? 'error' : 'valid', indent: 5},
		{text: 'grant_type=authorization_code', meaning: 'accent', indent: 5},
		{text: 'code=(the code above)', meaning: 'accent', indent: 5},
		{text: 'code_verifier=[redacted]', meaning: 'accent', indent: 5},
		{
			text: 'the secret whose SHA-256 was the code_challenge: proves this is the program that started the sign-in',
			meaning: 'muted',
			indent: 7,
		},
		{text: `client_id=${record.clientId}`, meaning: 'accent', indent: 5},
		{text: 'client_secret=[redacted]', meaning: 'accent', indent: 5},
		{
			text: 'an installed app’s secret is not really secret (it ships with the app): PKCE is what protects the code',
			meaning: 'muted',
			indent: 7,
		},
		{text: `redirect_uri=${record.redirectUri}`, meaning: 'accent', indent: 5},
		{text: 'must be the one the code was issued for', meaning: 'muted', indent: 7},
	];
	if (record.returned.length) {
		lines.push({text: 'came back:', indent: 5});
		for (const name of record.returned) {
			const value =
				name === 'expires_in' && record.expiresInSeconds !== undefined
					? `${record.expiresInSeconds} — `
					: name === 'scope' && record.scope
						? `${record.scope} — `
						: name === 'token_type' && record.tokenType
							? `${record.tokenType} — `
							: '';
			const meaning = returnedMeanings[name] ?? 'a field of this server’s own';
			lines.push({text: `${name}: ${value}${meaning}`, indent: 7});
		}
	}
	return lines;
}
