import {describe, expect, it} from 'vitest';
import {wrapPane} from '../../../src/ui/components/Pane.js';
import type {DoctorReport} from '../../../src/doctor/report.js';
import {audienceUrl, reportLines, tryItLines, tryItTitle, urlProblem} from '../../../src/ui/panels/try-it.js';

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

	it('says a cause’s fix in the live view’s keys where it has them, and keeps doctor’s command where it has not', () => {
		const report: DoctorReport = {
			url: 'https://svc.run.app/',
			method: 'GET',
			status: 401,
			accepted: false,
			target: {kind: 'cloud-run'},
			token: null,
			causes: [
				{
					code: 'wrong-token-kind',
					sentence: 'Cloud Run wants an OpenID Connect ID token, but an access token was sent.',
					fix: 'gcloud auth print-identity-token --impersonate-service-account=SA_EMAIL --audiences=https://svc.run.app',
				},
				{code: 'missing-invoker-role', sentence: 'The caller may lack the role.', fix: 'gcloud run services add-iam-policy-binding …'},
			],
		};
		const answered = {status: 'answered' as const, type: 'access' as const, url: report.url, probe: false, report};
		const text = (idToken: 'ready' | 'no-audience' | 'cannot-mint') =>
			tryItLines(answered, new Date(), {refreshes: true, idToken}).map(line => line.text);
		expect(text('ready')).toContain('here: tab shows the ID token; x then calls its audience with it.');
		expect(text('ready').join('\n')).not.toContain('SA_EMAIL');
		expect(text('ready')).toContain('fix: gcloud run services add-iam-policy-binding …');
		expect(text('no-audience')).toContain(
			'here: s, then this source again with the service URL as the audience: its ID token is then a tab away.',
		);
		expect(text('cannot-mint')).toContain(
			'here: s, then a source that mints ID tokens for an audience (metadata server, key file, impersonation).',
		);
		// Without the live view's context (doctor's own report), the command stays.
		expect(
			tryItLines(answered, new Date())
				.map(line => line.text)
				.join('\n'),
		).toContain('SA_EMAIL');
	});
});
