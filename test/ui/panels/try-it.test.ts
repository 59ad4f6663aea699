import {describe, expect, it} from 'vitest';
import {wrapPane} from '../../../src/ui/components/Pane.js';
import {audienceUrl, reportLines, tryItTitle, urlProblem} from '../../../src/ui/panels/try-it.js';

describe('try it, as text', () => {
	it('tries an ID token at its audience only when that is a URL, and asks otherwise', () => {
		expect(audienceUrl('https://svc-abc.a.run.app')).toBe('https://svc-abc.a.run.app');
		expect(audienceUrl('123-abc.apps.googleusercontent.com')).toBeUndefined();
		expect(audienceUrl(undefined)).toBeUndefined();
		expect(urlProblem('svc.example.com')).toMatch(/starts with https:\/\//);
		expect(urlProblem('https://')).toBe('"https://" is not a URL.');
	});

	it('refuses what doctor would refuse, as it is typed: plain http off this machine never gets a token', () => {
		expect(urlProblem('http://192.0.2.1/')).toMatch(/^The token is sent only over https \(plain http only to this machine\)/);
		expect(urlProblem('http://127.0.0.1:8080/')).toBeUndefined();
		expect(audienceUrl('http://svc.example.com')).toBeUndefined();
	});

	it('says in one sentence why no call was made, with the causes doctor found', () => {
		const lines = reportLines(
			{
				url: 'https://svc.run.app/',
				method: 'GET',
				status: null,
				accepted: false,
				target: {kind: 'cloud-run'},
				token: null,
				causes: [
					{
						code: 'missing-invoker-role',
						sentence: 'The caller may not mint ID tokens.',
						fix: 'gcloud iam … --role=roles/iam.serviceAccountOpenIdTokenCreator',
					},
				],
				error: 'IAM answered 403.',
				hint: 'Grant the role.',
			},
			new Date(),
		);
		expect(lines.map(line => line.text)).toEqual([
			'✗ no call made: IAM answered 403.',
			'Grant the role.',
			'',
			'Likely causes, most likely first',
			'1. missing-invoker-role: The caller may not mint ID tokens.',
			'fix: gcloud iam … --role=roles/iam.serviceAccountOpenIdTokenCreator',
		]);
		expect(tryItTitle({status: 'calling', type: 'id', url: 'https://svc.run.app', probe: true})).toBe(
			'Try it, probing — https://svc.run.app',
		);
	});

	it('wraps a table row’s value beside its label, so the label column stays readable', () => {
		const wrapped = wrapPane([{text: 'body    one two three four five six seven eight nine ten', indent: 2, hang: 8}], 30);
		expect(wrapped.map(line => line.text)).toEqual([
			'  body    one two three four',
			'          five six seven eight',
			'          nine ten',
		]);
	});
});
