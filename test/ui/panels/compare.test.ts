import {describe, expect, it} from 'vitest';
import {viewOfRawToken} from '../../../src/core/decode.js';
import type {RawToken} from '../../../src/core/types.js';
import type {DoctorReport} from '../../../src/doctor/report.js';
import {wrapPane} from '../../../src/ui/components/Pane.js';
import {compareLines, type CompareInput} from '../../../src/ui/panels/compare.js';
import type {Slot} from '../../../src/session/state.js';

// The comparison as text: every value read from the tokens, whichever of them there is.

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const issued = new Date('2026-11-22T12:00:00Z');

function ready(raw: RawToken): Slot {
	return {status: 'ready', raw, view: viewOfRawToken(raw)};
}

const seconds = issued.getTime() / 1000;
const claims = {iss: 'https://accounts.google.com', aud: 'https://svc-abc.a.run.app', sub: '42', azp: '1', iat: seconds, exp: seconds + 20};
const idToken = ready({token: `${encode({alg: 'RS256'})}.${encode(claims)}.c2ln`, type: 'id', fetchedAt: issued, latencyMs: 3});
const accessToken = ready({
	token: `ya29.${'a'.repeat(120)}`,
	type: 'access',
	scopes: ['https://www.googleapis.com/auth/devstorage.read_only'],
	expiresAt: new Date(issued.getTime() + 20_000),
	fetchedAt: issued,
	latencyMs: 3,
});

const input = (given: Partial<CompareInput>): CompareInput => ({
	slots: {id: idToken, access: accessToken},
	refreshes: true,
	tokenInfo: {status: 'idle'},
	calls: {},
	targets: {googleApi: {label: 'Google API', url: 'https://cloudresourcemanager.googleapis.com/v1/projects?pageSize=1'}},
	canCall: true,
	canAskTokenInfo: true,
	columns: 80,
	...given,
});
const text = (given: Partial<CompareInput>) => wrapPane(compareLines(input(given)), given.columns ?? 80).map(line => line.text);

describe('the comparison, as text', () => {
	it('reads each value from the token: a 20 s lifetime is 20s, its scopes are its own', () => {
		const lines = text({});
		const joined = lines.join('\n');
		expect(joined).toMatch(/^ {2}lifetime {4}20s: iat \d\d:\d\d:00 → exp \d\d:\d\d:20$/m);
		expect(joined).toMatch(/^ {2}lifetime {4}20s: fetched \d\d:\d\d:00 → expires \d\d:\d\d:20$/m);
		expect(lines).toContain('  for         scopes: devstorage.read_only; no audience');
		expect(lines).toContain('  who         sub 42');
		expect(lines).toContain('  for         one audience: https://svc-abc.a.run.app');
	});

	it('says where x sends both tokens: the Google API, and outside the demo the service its audience names', () => {
		const only = text({});
		expect(only).toContain('x sends both tokens to Google API, as tokscope doctor does');
		const both = text({targets: {...input({}).targets, service: {label: 'its service', url: 'https://svc-abc.a.run.app'}}});
		expect(both).toContain('x sends both tokens to its service and Google API, as tokscope doctor does');
	});

	it('shows a call’s verdict in its token’s row, with doctor’s likeliest cause', () => {
		const refused: DoctorReport = {
			url: 'https://svc-abc.a.run.app/',
			method: 'GET',
			status: 401,
			accepted: false,
			target: {kind: 'cloud-run'},
			token: null,
			causes: [
				{code: 'wrong-token-kind', sentence: 'Cloud Run wants an OpenID Connect ID token, but an access token was sent.', fix: null},
			],
		};
		const lines = text({
			targets: {service: {label: 'Cloud Run', url: refused.url}},
			calls: {'service id': {status: 'calling'}, 'service access': {status: 'answered', report: refused}},
		});
		expect(lines).toContain('  Cloud Run   calling…');
		expect(lines.join('\n')).toContain(
			'  Cloud Run   ✗ refused (HTTP 401): Cloud Run wants an OpenID Connect ID token,\n              but an access token was sent.',
		);
		expect(lines.join('\n')).not.toContain('accepted    by');
	});

	it('a pasted token comes alone: the other says so, not “fetching”', () => {
		const lines = text({refreshes: false, slots: {id: idToken, access: {status: 'idle'}}});
		expect(lines).toContain('  format      none: a pasted token comes alone');
		expect(lines.join('\n')).not.toContain('fetching');
	});
});
