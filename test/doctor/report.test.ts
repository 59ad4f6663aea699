import {describe, expect, it} from 'vitest';
import {exitCodeOf, formatReport, type DoctorReport} from '../../src/doctor/report.js';

const now = new Date('2026-11-22T18:00:00Z');

const rejected: DoctorReport = {
	url: 'https://hello-abc123-uc.a.run.app/',
	method: 'GET',
	status: 403,
	accepted: false,
	target: {kind: 'cloud-run'},
	token: {
		kind: 'google-id-token',
		audience: 'https://hello-abc123-uc.a.run.app',
		issuer: 'https://accounts.google.com',
		principal: 'sa@p.iam.gserviceaccount.com',
		expiresAt: '2026-11-22T18:59:00Z',
	},
	causes: [
		{
			code: 'missing-invoker-role',
			sentence: 'The token was accepted but sa may not invoke the service.',
			fix: 'gcloud run services add-iam-policy-binding …',
		},
	],
	clockSkewSeconds: 0,
	probes: [
		{audience: 'https://hello-abc123-uc.a.run.app', status: 403, accepted: false},
		{audience: 'https://x', status: null, accepted: false, error: 'The metadata server could not be reached'},
	],
	evidence: {
		body: 'Error: Forbidden',
		maskedToken: 'eyJhbGci…abcd (900 chars, masked)',
		audienceWarnings: ['The audience ends with a slash.'],
	},
};

describe('formatReport', () => {
	it('reads in the issue’s order: verdict, evidence, what was sent, causes with fixes, the probe table', () => {
		const text = formatReport(rejected, now);
		const marks = [
			'✗ rejected: HTTP 403 for GET https://hello-abc123-uc.a.run.app/ (Cloud Run)',
			'Evidence',
			'Sent',
			'Likely causes',
			'1. missing-invoker-role',
			'fix: gcloud',
			'Probe',
		];
		const at = marks.map(mark => text.indexOf(mark));
		expect(at.every(index => index >= 0)).toBe(true);
		expect([...at].sort((a, b) => a - b)).toEqual(at);
		expect(text).toContain('eyJhbGci…abcd (900 chars, masked)');
		expect(text).toContain('(in 59m 00s)');
		expect(text).toContain('⚠ audience');
		expect(text).toContain('passes the audience check (403: the role is what is missing)');
		expect(text).toContain('(The metadata server could not be reached)');
	});

	it('says when the clocks differ, and an accepted call’s note', () => {
		const accepted = formatReport(
			{
				...rejected,
				status: 200,
				accepted: true,
				clockSkewSeconds: -90,
				probes: undefined,
				causes: [{code: 'no-token-needed', sentence: 'It needs none.', fix: null}],
			},
			now,
		);
		expect(accepted).toMatch(/^✓ accepted: HTTP 200/);
		expect(accepted).toContain("this machine's clock is 90 s ahead of the service's");
		expect(accepted).toContain('Note\n  1. no-token-needed: It needs none.');
	});

	it('shows nothing raw: control characters from the server are gone', () => {
		const text = formatReport({...rejected, evidence: {body: 'a\u001b[2Jb'}}, now);
		expect(text).not.toContain('\u001b');
	});
});

describe('exitCodeOf', () => {
	it('0 accepted, 1 rejected, 2 no call made', () => {
		expect(exitCodeOf({...rejected, accepted: true, status: 200})).toBe(0);
		expect(exitCodeOf(rejected)).toBe(1);
		expect(exitCodeOf({...rejected, status: null, error: 'x'})).toBe(2);
	});
});
