import {describe, expect, it} from 'vitest';
import {audienceWarnings} from '../../src/core/audience-check.js';

describe('audienceWarnings', () => {
	it.each([
		['https://hello-abc123-uc.a.run.app', 0],
		['https://hello-abc123-uc.a.run.app/', 0],
		['123456789012-iap0emulator0programmatic.apps.googleusercontent.com', 0],
		['https://api.example.com', 0],
		['', 0],
	])('has nothing to say about %s', (audience, count) => {
		expect(audienceWarnings(audience)).toHaveLength(count);
	});

	it.each([
		['https://hello-abc123-uc.a.run.app/api/v1', 'without the path /api/v1'],
		['http://hello-abc123-uc.a.run.app', 'starts with http://'],
		['my-service', 'This is not a URL'],
		['https://www.googleapis.com/auth/cloud-platform', 'This is an OAuth scope, not an audience'],
		['https://storage.googleapis.com', 'wants an access token'],
		['https://hello.a.run.app?x=1', 'query or fragment'],
		[' https://hello.a.run.app', 'spaces around it'],
		['//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q', 'workload identity pool provider'],
	])('warns about %s', (audience, words) => {
		expect(audienceWarnings(audience).join(' ')).toContain(words);
	});
});
