import {describe, expect, it} from 'vitest';
import {audienceWarnings, checkAudience} from '../../src/core/audience-check.js';

const codes = (text: string) => checkAudience(text).map(warning => warning.code);

describe('checkAudience: the mistakes the text alone shows', () => {
	it('says nothing about a right Cloud Run, Cloud Functions or IAP audience, or an empty one', () => {
		expect(codes('https://hello-abc123-uc.a.run.app')).toEqual([]);
		expect(codes('https://us-central1-demo.cloudfunctions.net/hello')).toEqual([]);
		expect(codes('')).toEqual([]);
		expect(codes('http://127.0.0.1:8080')).toEqual([]);
	});

	it('warns about a missing scheme, but not about a bare custom audience word', () => {
		expect(codes('hello-abc123-uc.a.run.app')).toEqual(['no-scheme']);
		expect(checkAudience('hello-abc123-uc.a.run.app')[0]!.message).toContain('https://hello-abc123-uc.a.run.app');
		expect(codes('my-service')).toEqual([]);
	});

	it('warns about http:// off this machine', () => {
		expect(codes('http://hello-abc123-uc.a.run.app')).toEqual(['http']);
		expect(checkAudience('http://hello-abc123-uc.a.run.app')[0]!.message).toContain('https://hello-abc123-uc.a.run.app');
	});

	it('warns about a path or a trailing slash on a run.app URL, and a query anywhere', () => {
		expect(codes('https://hello-abc123-uc.a.run.app/api/v1')).toEqual(['run-app-path']);
		expect(codes('https://hello-abc123-uc.a.run.app/')).toEqual(['run-app-slash']);
		expect(codes('https://hello-abc123-uc.a.run.app?x=1')).toEqual(['query']);
	});

	it('warns about a Cloud Functions audience without the function name', () => {
		expect(codes('https://us-central1-demo.cloudfunctions.net')).toEqual(['function-path']);
	});

	it('warns about spaces, copied before, after or inside', () => {
		expect(codes(' https://hello-abc123-uc.a.run.app')).toEqual(['spaces']);
		expect(codes('https://hello abc.a.run.app')).toContain('spaces');
	});

	it('recognises an OAuth client ID: IAP’s audience, and what gcloud makes without --audiences', () => {
		expect(codes('123456789012-abc123def.apps.googleusercontent.com')).toEqual(['client-id']);
		expect(checkAudience('32555940559-x.apps.googleusercontent.com')[0]!.message).toMatch(
			/IAP .* Cloud Run, Cloud Functions and API Gateway want the service URL/,
		);
		// gcloud's own client ID, which it mints for without --audiences, has no dash (gcloud's config.CLOUDSDK_CLIENT_ID).
		expect(codes('32555940559.apps.googleusercontent.com')).toEqual(['client-id']);
	});
});

describe('audienceWarnings, as the live view shows them', () => {
	it.each([
		['https://hello-abc123-uc.a.run.app/api/v1', 'without a path'],
		['http://hello-abc123-uc.a.run.app', 'uses http://'],
		['https://www.googleapis.com/auth/cloud-platform', 'This is an OAuth scope, not an audience'],
		['https://storage.googleapis.com', 'wants an access token'],
		['https://hello.a.run.app?x=1', 'query or fragment'],
		['//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q', 'workload identity pool provider'],
	])('warns about %s', (audience, words) => {
		expect(audienceWarnings(audience).join(' ')).toContain(words);
	});

	it('has nothing to say about a run.app origin, an IAP client ID or nothing at all', () => {
		for (const audience of ['https://hello-abc123-uc.a.run.app', 'https://api.example.com', ''])
			expect(audienceWarnings(audience)).toEqual([]);
	});
});
