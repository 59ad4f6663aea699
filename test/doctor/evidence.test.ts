import {describe, expect, it} from 'vitest';
import {clockSkewSeconds, readEvidence} from '../../src/doctor/evidence.js';

const gfe401 = {
	status: 401,
	headers: {
		server: 'Google Frontend',
		'content-type': 'text/html; charset=UTF-8',
		'www-authenticate': 'Bearer error="invalid_token" error_description="The access token could not be verified"',
		date: 'Sun, 22 Nov 2026 18:00:00 GMT',
	},
	body:
		'<html><head><title>401 Unauthorized</title></head><body><h1>Error: Unauthorized</h1>\n<h2>Your client ' +
		'does not have permission to the requested URL <code>/a&amp;b</code>.</h2>\n<h2></h2></body></html>',
};

describe('readEvidence: what each product’s answer says', () => {
	it('Google Frontend’s 401 page: the challenge, its error, the headings as one line, the Date', () => {
		const evidence = readEvidence(gfe401);
		expect(evidence).toMatchObject({
			status: 401,
			accepted: false,
			responder: 'google-front-end',
			challengeError: 'invalid_token',
			bodyLine: 'Error: Unauthorized — Your client does not have permission to the requested URL /a&b.',
			serverDate: new Date('2026-11-22T18:00:00Z'),
			truncated: false,
		});
		expect(evidence.wwwAuthenticate).toContain('could not be verified');
	});

	it('IAP: its marker header, its sentence, and the audience it expects', () => {
		const evidence = readEvidence({
			status: 401,
			headers: {'x-goog-iap-generated-response': 'true'},
			body:
				"Invalid IAP credentials: JWT audience doesn't match this application " +
				"('aud' claim (https://x) doesn't match expected value (123-abc.apps.googleusercontent.com))",
		});
		expect(evidence).toMatchObject({responder: 'iap', iap: 'audience', expectedAudience: '123-abc.apps.googleusercontent.com'});
		const iapSays = (body: string, status = 401) => readEvidence({status, headers: {'X-Goog-IAP-Generated-Response': 'true'}, body}).iap;
		expect(iapSays('Invalid IAP credentials: Unable to parse JWT')).toBe('unparsable');
		expect(iapSays('Invalid IAP credentials: JWT signature is invalid')).toBe('bad-signature');
		expect(iapSays('Invalid IAP credentials: Expired JWT')).toBe('expired');
		expect(iapSays("Invalid IAP credentials: JWT 'email' claim isn't a string")).toBe('no-email');
		expect(iapSays("You don't have access.", 403)).toBe('no-access');
	});

	it('ESPv2 (API Gateway): its JSON message', () => {
		const evidence = readEvidence({
			status: 401,
			headers: {'content-type': 'application/json'},
			body: '{"code":401,"message":"Jwt is expired"}',
		});
		expect(evidence).toMatchObject({responder: 'api-gateway', esp: 'Jwt is expired', bodyLine: 'Jwt is expired'});
	});

	it('Google APIs: the rpc status, the ErrorInfo reason and the message', () => {
		const body = JSON.stringify({
			error: {
				code: 403,
				message: 'Request had insufficient authentication scopes.',
				status: 'PERMISSION_DENIED',
				details: [{'@type': 'x', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT'}],
			},
		});
		expect(readEvidence({status: 403, headers: {server: 'ESF'}, body})).toMatchObject({
			responder: 'google-api',
			googleApi: {
				status: 'PERMISSION_DENIED',
				reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
				message: 'Request had insufficient authentication scopes.',
			},
		});
	});

	it('accepts anything but 401, 403 and 407; Cloud Functions shows itself by its execution id', () => {
		expect(readEvidence({status: 404, headers: {}, body: ''}).accepted).toBe(true);
		expect(readEvidence({status: 407, headers: {}, body: ''}).accepted).toBe(false);
		expect(readEvidence({status: 200, headers: {'function-execution-id': 'abc'}, body: 'hi'}).responder).toBe('cloud-functions');
	});

	it('keeps the body line terminal-safe and short, whatever the server sends', () => {
		const evidence = readEvidence({
			status: 401,
			headers: {},
			body: `\u001b[2J\u001b]52;c;aGk=\u0007evil ${'x'.repeat(1000)}\nsecond line`,
			truncated: true,
		});
		expect(evidence.bodyLine).not.toMatch(/\p{Cc}/u);
		expect(evidence.bodyLine!.length).toBeLessThanOrEqual(300);
		expect(evidence.truncated).toBe(true);
		expect(readEvidence({status: 401, headers: {}, body: '{"error":"invalid_token","error_description":"Token expired"}'}).bodyLine).toBe(
			'Token expired',
		);
	});
});

describe('readEvidence: the body line of a multi-line JSON body', () => {
	it('an accepted Google API answer (no message): the JSON on one line, not its first line `{`', () => {
		const body = `${JSON.stringify({projectNumber: '123', projectId: 'tokscope-demo', lifecycleState: 'ACTIVE'}, null, 2)}\n`;
		const evidence = readEvidence({status: 200, headers: {'content-type': 'application/json; charset=UTF-8', server: 'ESF'}, body});
		expect(evidence.bodyLine).toBe('{"projectNumber":"123","projectId":"tokscope-demo","lifecycleState":"ACTIVE"}');
	});

	it('an error object without google.rpc’s status: its message', () => {
		const body = `${JSON.stringify({error: {code: 403, message: 'Caller is not authorized to invoke this service.'}}, null, 2)}\n`;
		expect(readEvidence({status: 403, headers: {'content-type': 'application/json'}, body}).bodyLine).toBe(
			'Caller is not authorized to invoke this service.',
		);
	});

	it('JSON cut at the read limit: its lines read as one, not `{`', () => {
		const body = '{\n  "detail": "The request was refused",\n  "padding": "xxxx';
		expect(readEvidence({status: 401, headers: {}, body, truncated: true}).bodyLine).toBe(
			'{ "detail": "The request was refused", "padding": "xxxx',
		);
	});
});

describe('clockSkewSeconds', () => {
	it('reads Date as the middle of its second: equal clocks give 0, not -1', () => {
		const at = new Date('2026-11-22T18:00:00.700Z');
		expect(clockSkewSeconds(new Date('2026-11-22T18:00:00Z'), at)).toBe(0);
		expect(clockSkewSeconds(new Date('2026-11-22T20:00:00Z'), at)).toBe(7200);
		expect(clockSkewSeconds(new Date('2026-11-22T17:59:00Z'), at)).toBe(-60);
	});
});
