import {describe, expect, it} from 'vitest';
import {TokscopeError} from '../../src/core/errors.js';
import {
	audienceMistake,
	effectiveKind,
	memberOf,
	mintFailureCauses,
	rankCauses,
	serviceName,
	type CauseFacts,
	type SentToken,
} from '../../src/doctor/causes.js';
import {readEvidence, type Answer} from '../../src/doctor/evidence.js';
import {classifyTarget} from '../../src/doctor/target.js';

const now = new Date('2026-11-22T18:00:00.400Z');
const httpDate = (offsetSeconds = 0) => new Date(now.getTime() + offsetSeconds * 1000).toUTCString();
const runUrl = 'https://hello-123456789012.us-central1.run.app';
const sa = 'caller@demo.iam.gserviceaccount.com';

function idToken(overrides: Partial<SentToken> = {}): SentToken {
	return {
		kind: 'google-id-token',
		audiences: [runUrl],
		issuer: 'https://accounts.google.com',
		trustedIssuer: true,
		principal: sa,
		issuedAt: new Date(now.getTime() - 60_000),
		expiresAt: new Date(now.getTime() + 3_540_000),
		hasEmail: true,
		verification: {status: 'valid', code: 'verified', reason: 'Signature verified.'},
		minted: false,
		...overrides,
	};
}

const gfe = (status: 401 | 403, dateOffset = 0): Answer => ({
	status,
	headers: {
		server: 'Google Frontend',
		date: httpDate(dateOffset),
		...(status === 401
			? {'www-authenticate': 'Bearer error="invalid_token" error_description="The access token could not be verified"'}
			: {}),
	},
	body: `<h1>Error: ${status === 401 ? 'Unauthorized' : 'Forbidden'}</h1>`,
});

function facts(url: string, answer: Answer, token: SentToken, extra: Partial<CauseFacts> = {}): CauseFacts {
	return {target: classifyTarget(new URL(url)), evidence: readEvidence(answer), token, receivedAt: now, ...extra};
}

const codes = (input: CauseFacts) => rankCauses(input).map(cause => cause.code);

describe('rankCauses', () => {
	it('wrong-token-kind: an access token at Cloud Run, with the ID token command as the fix', () => {
		const causes = rankCauses(
			facts(runUrl, gfe(401), {
				...idToken(),
				kind: 'google-access-token',
				audiences: [],
				issuer: undefined,
				principal: undefined,
				hasEmail: false,
			}),
		);
		expect(causes[0]).toEqual({
			code: 'wrong-token-kind',
			sentence: 'Cloud Run wants an OpenID Connect ID token, but an OAuth access token (ya29.…) was sent.',
			fix: `gcloud auth print-identity-token --impersonate-service-account=SA_EMAIL --audiences=${runUrl}`,
		});
	});

	it('wrong-token-kind: an ID token at a Google API, saying when tokscope chose it', () => {
		const api = {
			status: 401,
			headers: {server: 'ESF'},
			body: JSON.stringify({error: {code: 401, status: 'UNAUTHENTICATED', message: 'Expected OAuth 2 access token'}}),
		};
		expect(rankCauses(facts('https://run.googleapis.com/v2/x', api, idToken()))[0]).toMatchObject({
			code: 'wrong-token-kind',
			fix: 'gcloud auth print-access-token',
		});
		const loopback = rankCauses(facts('http://127.0.0.1:9/v1', api, idToken({minted: true})))[0]!;
		expect(loopback.sentence).toContain('the host name did not say which product this is');
	});

	it('audience-mismatch: each visible mistake in a Cloud Run aud gets its own sentence', () => {
		const sentence = (aud: string) => rankCauses(facts(runUrl, gfe(401), idToken({audiences: [aud]})))[0]!;
		expect(sentence(`${runUrl}/api`).sentence).toContain('it has a path (/api)');
		expect(sentence(runUrl.replace('https', 'http')).sentence).toContain('it uses http://');
		// gcloud's own client ID (no dash) is the one it mints for without --audiences: named as such.
		expect(sentence('32555940559.apps.googleusercontent.com').sentence).toContain('an OAuth client ID: what gcloud');
		expect(sentence('32555940559-abc.apps.googleusercontent.com').sentence).toContain(
			'an OAuth client ID: what gcloud auth print-identity-token makes without --audiences',
		);
		const custom = sentence('https://api.example.com');
		expect(custom.sentence).toContain('a custom domain or load balancer is a different audience');
		expect(custom.fix).toBe('gcloud run services update hello --add-custom-audiences=https://api.example.com');
		// A user's token minted by gcloud (aud: gcloud's client ID) is one Cloud Run accepts, for development
		// (https://cloud.google.com/run/docs/authenticating/developers): its 401 has another cause.
		const userToken = idToken({audiences: ['32555940559.apps.googleusercontent.com'], principal: 'dev@example.com'});
		expect(codes(facts(runUrl, gfe(401), userToken))).not.toContain('audience-mismatch');
		// The run.app URL with a trailing slash is accepted: no audience cause at all.
		expect(codes(facts(runUrl, gfe(401), idToken({audiences: [`${runUrl}/`]})))).not.toContain('audience-mismatch');
	});

	it('audience-mismatch: a Cloud Functions audience without the function, or with a trailing slash', () => {
		const fn = 'https://us-central1-demo.cloudfunctions.net/hello';
		expect(rankCauses(facts(fn, gfe(401), idToken({audiences: ['https://us-central1-demo.cloudfunctions.net']})))[0]!.sentence).toContain(
			'the origin alone',
		);
		expect(rankCauses(facts(fn, gfe(401), idToken({audiences: [`${fn}/`]})))[0]!.sentence).toContain('ends with a trailing slash');
	});

	it('audience-mismatch: when Google Frontend says nothing and nothing else is wrong, aud is the likeliest, and --probe the fix', () => {
		const causes = rankCauses(
			facts('http://127.0.0.1:9/hello', gfe(401), idToken({audiences: ['http://127.0.0.1:9'], issuer: 'http://127.0.0.1:8'})),
		);
		expect(causes[0]).toMatchObject({code: 'audience-mismatch', fix: 'tokscope doctor http://127.0.0.1:9/hello --probe'});
	});

	it('missing-invoker-role: a 403 with a good token, per product, with the principal', () => {
		const run = rankCauses(facts(runUrl, gfe(403), idToken()))[0]!;
		expect(run).toMatchObject({
			code: 'missing-invoker-role',
			fix: `gcloud run services add-iam-policy-binding hello --region=us-central1 --member=serviceAccount:${sa} --role=roles/run.invoker`,
		});
		expect(run.sentence).toContain('a minute or two');
		// A hashed URL names no region: the fix leaves it to gcloud rather than holding a REGION placeholder.
		const hashed = rankCauses(
			facts('https://hello-abc123-uc.a.run.app', gfe(403), idToken({audiences: ['https://hello-abc123-uc.a.run.app']})),
		)[0]!;
		expect(hashed.fix).toBe(`gcloud run services add-iam-policy-binding hello --member=serviceAccount:${sa} --role=roles/run.invoker`);
		const fn = rankCauses(
			facts(
				'https://us-central1-demo.cloudfunctions.net/hello',
				gfe(403),
				idToken({audiences: ['https://us-central1-demo.cloudfunctions.net/hello']}),
			),
		)[0]!;
		expect(fn.fix).toBe(
			`gcloud functions add-iam-policy-binding hello --region=us-central1 --member=serviceAccount:${sa} --role=roles/cloudfunctions.invoker`,
		);
		const iap = {status: 403, headers: {'x-goog-iap-generated-response': 'true'}, body: "You don't have access."};
		const user = rankCauses(
			facts('https://app.example.com', iap, idToken({principal: 'ann@example.com', audiences: ['1-a.apps.googleusercontent.com']})),
		)[0]!;
		expect(user.fix).toBe('gcloud iap web add-iam-policy-binding --member=user:ann@example.com --role=roles/iap.httpsResourceAccessor');
	});

	it('token-expired, and clock-skew first when only the service’s clock says so', () => {
		const expired = idToken({expiresAt: new Date(now.getTime() - 120_000)});
		expect(codes(facts(runUrl, gfe(401), expired))[0]).toBe('token-expired');
		const skewed = codes(facts(runUrl, gfe(401, 7200), idToken()));
		expect(skewed.slice(0, 2)).toEqual(['clock-skew', 'token-expired']);
		const sentence = rankCauses(facts(runUrl, gfe(401, 7200), idToken()))[0]!.sentence;
		expect(sentence).toContain("This machine's clock is 7200 s behind the service's (its Date header)");
	});

	it('clock-skew that does not explain the refusal ranks low', () => {
		const causes = codes(facts(runUrl, gfe(403, -600), idToken()));
		expect(causes[0]).toBe('missing-invoker-role');
		expect(causes).toContain('clock-skew');
	});

	it('not-google-signed: a bad signature, or another issuer', () => {
		const forged = idToken({
			verification: {
				status: 'invalid',
				code: 'bad-signature',
				reason: 'The signature does not match Google’s published keys: the token was altered or signed by someone else.',
			},
		});
		expect(codes(facts(runUrl, gfe(401), forged))[0]).toBe('not-google-signed');
		// Only the verdict's code says "bad signature": an expired Google token whose words mention an algorithm is not one.
		const expired = idToken({verification: {status: 'invalid', code: 'expired', reason: 'Expired; the algorithm was fine.'}});
		expect(codes(facts(runUrl, gfe(401), expired))).not.toContain('not-google-signed');
		const other = idToken({kind: 'jwt', issuer: 'https://login.example.com', trustedIssuer: false});
		expect(codes(facts(runUrl, gfe(401), other))[0]).toBe('not-google-signed');
		// A loopback issuer is no one's stand-in unless the environment names it (TOKSCOPE_TEST_ISSUERS): doctor says so.
		const loopback = idToken({issuer: 'http://127.0.0.1:4000', trustedIssuer: false});
		expect(rankCauses(facts(runUrl, gfe(401), loopback))[0]).toMatchObject({
			code: 'not-google-signed',
			sentence: expect.stringContaining('it was issued by http://127.0.0.1:4000, not by Google'),
		});
	});

	it('no-token-needed only when the call without a token was accepted too', () => {
		const ok: Answer = {status: 200, headers: {}, body: 'hi'};
		expect(codes(facts(runUrl, ok, idToken(), {anonymous: readEvidence(ok)}))).toEqual(['no-token-needed']);
		expect(codes(facts(runUrl, ok, idToken(), {anonymous: readEvidence(gfe(403))}))).toEqual([]);
		expect(codes(facts(runUrl, ok, idToken()))).toEqual([]);
	});

	it('unknown: a refusal nothing explains, and a proxy’s 407', () => {
		expect(
			codes(facts('https://api.example.com', {status: 401, headers: {}, body: 'nope'}, idToken({audiences: ['https://api.example.com']}))),
		).toEqual(['unknown']);
		expect(rankCauses(facts(runUrl, {status: 407, headers: {}, body: ''}, idToken()))[0]!.sentence).toMatch(/proxy/);
	});

	it('each code at most once, most likely first', () => {
		const causes = codes(
			facts(runUrl, gfe(401, 7200), idToken({audiences: ['https://x.example'], expiresAt: new Date(now.getTime() - 1000)})),
		);
		expect(new Set(causes).size).toBe(causes.length);
	});
});

describe('helpers', () => {
	it('effectiveKind: the host name first, then who answered', () => {
		const loopback = classifyTarget(new URL('http://127.0.0.1:9/'));
		expect(effectiveKind(loopback, readEvidence(gfe(401)))).toBe('cloud-run');
		expect(effectiveKind(classifyTarget(new URL('http://127.0.0.1:9/fn')), readEvidence(gfe(401)))).toBe('unknown');
		expect(
			effectiveKind(
				classifyTarget(new URL(runUrl)),
				readEvidence({status: 401, headers: {'x-goog-iap-generated-response': 'true'}, body: ''}),
			),
		).toBe('cloud-run');
	});

	it('memberOf, serviceName, audienceMistake and a failed mint’s clock', () => {
		expect(memberOf(sa)).toBe(`serviceAccount:${sa}`);
		expect(memberOf('ann@example.com')).toBe('user:ann@example.com');
		expect(memberOf(undefined)).toBe('serviceAccount:SA_EMAIL');
		// A federated principal is no email: IAM has no user: member for it, so the reader fills one in.
		expect(memberOf('federated principal of //iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p')).toBe(
			'serviceAccount:SA_EMAIL',
		);
		expect(serviceName(new URL('https://hello-world-abcdefghij-uc.a.run.app'))).toBe('hello-world');
		expect(serviceName(new URL('https://api.example.com'))).toBe('SERVICE');
		// Every form Cloud Run hands out, and the short hashes the docs and users write.
		expect(serviceName(new URL('https://hello-abc123-uc.a.run.app'))).toBe('hello');
		expect(serviceName(new URL('https://my-svc-2lxgvqyrta-ew.a.run.app/path'))).toBe('my-svc');
		expect(serviceName(new URL('https://hello-123456789012.us-central1.run.app'))).toBe('hello');
		expect(serviceName(new URL('https://Billing-API-123456789012.europe-west4.run.app'))).toBe('billing-api');
		expect(audienceMistake('https://x.run.app', 'https://x.run.app/', 'cloud-run')).toContain('lacks a trailing slash');
		expect(audienceMistake('https://x', '1-a.apps.googleusercontent.com', 'iap')).toContain('IAP checks for its OAuth client ID');
		// A failed mint's causes are what the refusal named (core/mint-causes.ts), carried by the error; never read from words.
		const named = {code: 'clock-skew', sentence: 'The clock is off.', fix: 'sudo timedatectl set-ntp true'} as const;
		expect(mintFailureCauses(new TokscopeError('clock-off', 'The token endpoint refused it.', {causes: [named]}))).toEqual([named]);
		expect(mintFailureCauses(new TokscopeError('clock-off', 'The token endpoint refused… (invalid_grant).'))).toEqual([]);
		expect(mintFailureCauses(new TokscopeError('refused', 'The metadata server refused the connection.'))).toEqual([]);
	});
});
