import {describe, expect, it} from 'vitest';
import {decodeToken} from '../../../src/core/decode.js';
import type {RawToken} from '../../../src/core/types.js';
import type {SourceInfo} from '../../../src/sources/types.js';
import {detailsLines, eventLines, explainTokenInfo, type DetailsInput} from '../../../src/ui/panels/details.js';
import type {Slot} from '../../../src/session/state.js';

// The details pane as a user reads it (its lines of text, before Pane.tsx wraps them): the error and what to do, who
// is calling, the token's header and verdict, and tokeninfo's answer in words.

const now = new Date('2026-11-22T12:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function idToken(header: Record<string, unknown> = {alg: 'RS256', kid: 'k1', typ: 'JWT'}): RawToken {
	const claims = {
		iss: 'https://accounts.google.com',
		aud: 'https://svc.run.app',
		sub: '1',
		iat: seconds(now) - 60,
		exp: seconds(now) + 3540,
	};
	return {token: `${encode(header)}.${encode(claims)}.c2ln`, type: 'id', fetchedAt: now, latencyMs: 42};
}

const info: SourceInfo = {
	id: 'impersonate',
	principal: 'target@p.iam.gserviceaccount.com',
	caller: 'alice@example.com',
	projectId: 'p',
	origin: 'impersonated_service_account file from $GOOGLE_APPLICATION_CREDENTIALS (/home/alice/imp.json)',
	details: ['IAM Credentials generateIdToken, as alice@example.com'],
	warnings: [],
	idTokens: true,
};

const ready = (raw: RawToken): Slot => ({status: 'ready', raw, view: decodeToken(raw.token)});

function lines(input: Partial<DetailsInput> & Pick<DetailsInput, 'slot'>): string[] {
	return detailsLines({
		type: 'id',
		canAskTokenInfo: true,
		tokenInfo: {status: 'idle'},
		warnings: [],
		now,
		refreshes: true,
		info,
		...input,
	}).map(line => line.text);
}

describe('the details pane', () => {
	it('says who is calling and how, and what the token’s header means', () => {
		const text = lines({slot: ready(idToken())});
		expect(text).toContain('Who is calling, and how');
		expect(text).toContain('principal: target@p.iam.gserviceaccount.com');
		expect(text).toContain('caller: alice@example.com');
		expect(text).toContain('from: impersonated_service_account file from $GOOGLE_APPLICATION_CREDENTIALS (/home/alice/imp.json)');
		expect(text).toContain('The ID token');
		expect(text).toContain('alg: RS256 — the signature algorithm (RS256: an RSA key; a verifier must insist on it)');
		expect(text).toContain('kid: k1 — which of the issuer’s published keys signed it');
		expect(text.some(line => line.startsWith('fetched: ') && line.endsWith(' in 42 ms'))).toBe(true);
		// An ID token is judged by its signature; tokeninfo is for access tokens.
		expect(text).toContain('An ID token is checked by its signature (above), not by tokeninfo: anyone can read its claims.');
	});

	it('shows a failed refresh in full: the sentence, the fix, and whether it is retried', () => {
		const raw = idToken();
		const error = {
			message: 'Permission denied on the service account.',
			hint: 'Grant roles/iam.serviceAccountTokenCreator.',
			retryable: false,
		};
		const stale: Slot = {status: 'stale', raw, view: decodeToken(raw.token), error, failures: 1};
		const text = lines({slot: stale});
		expect(text.slice(0, 4)).toEqual([
			'The last refresh failed (the token below is stale)',
			'Permission denied on the service account.',
			'Grant roles/iam.serviceAccountTokenCreator.',
			'This will not pass by itself, so it is not retried: fix it, then press r.',
		]);
		const retrying: Slot = {
			status: 'failed',
			error: {message: 'Timed out.', retryable: true},
			failures: 2,
			retryAt: new Date(now.getTime() + 8000),
		};
		// Future tense, and the clock time: the details pane does not tick, so a wait ("in 8s") would go stale in it.
		const at = new Date(now.getTime() + 8000);
		const clock = [at.getHours(), at.getMinutes(), at.getSeconds()].map(value => String(value).padStart(2, '0')).join(':');
		expect(lines({slot: retrying})).toContain(`This can pass by itself: it will be tried again at ${clock}, backing off.`);
	});

	it('shows a header field from the token with its hidden characters visible', () => {
		const text = lines({slot: ready(idToken({alg: 'RS256', kid: 'k\u001b[2J1'}))});
		expect(text).toContain('kid: k\\u001b[2J1 — which of the issuer’s published keys signed it');
		expect(text.join('\n')).not.toContain('\u001b');
		// A field that is not text is shown as the token wrote it.
		expect(lines({slot: ready(idToken({alg: 'RS256', kid: {id: 1}}))})).toContain(
			'kid: {"id":1} — which of the issuer’s published keys signed it',
		);
	});

	it('offers tokeninfo for an access token, and says in words what it answered', () => {
		const access: RawToken = {token: `ya29.${'a'.repeat(60)}`, type: 'access', fetchedAt: now, latencyMs: 5, scopes: ['openid']};
		expect(lines({type: 'access', slot: ready(access)})).toContain(
			'Press t to ask tokeninfo what this access token grants (this sends the token to it).',
		);
		const answered = explainTokenInfo(
			{
				endpoint: 'https://oauth2.googleapis.com/tokeninfo',
				fields: {
					scope: 'openid https://www.googleapis.com/auth/cloud-platform',
					expires_in: '3599',
					email: 'a@b.c',
					email_verified: 'true',
					azp: '123.apps',
				},
			},
			now,
		).map(line => line.text);
		expect(answered).toEqual([
			'asked https://oauth2.googleapis.com/tokeninfo',
			'It grants 2 scopes:',
			'openid',
			'https://www.googleapis.com/auth/cloud-platform',
			'Google says it expires in 59m 59s.',
			'It acts as a@b.c (email verified).',
			'It was issued to the OAuth client 123.apps (its audience: the app that asked, not a service).',
		]);
		const refused = explainTokenInfo({endpoint: 'x', fields: {error_description: 'Invalid Value'}}, now).map(line => line.text);
		expect(refused).toContain(
			'tokeninfo does not accept this token (Invalid Value): it has expired, was revoked, or is not this issuer’s.',
		);
	});

	it('tells one event in full: when, how long, what changed, without the token', () => {
		const event = {
			id: 3,
			at: now,
			type: 'id' as const,
			what: 'refreshed ahead of expiry' as const,
			detail: '',
			latencyMs: 31,
			changed: ['iat', 'exp'],
			tail: 'Xy9_-z',
		};
		const text = eventLines(event).map(line => line.text);
		expect(text[0]).toBe('ID token refreshed ahead of expiry');
		expect(text).toContain('took 31 ms');
		expect(text).toContain('claims that changed: iat, exp');
		expect(text).toContain('the new token ends in …Xy9_-z');
	});
});
