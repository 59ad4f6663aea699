import {describe, expect, it} from 'vitest';
import {candidateAudiences, classifyTarget, functionUrlOf, parseTargetUrl} from '../../src/doctor/target.js';

const classify = (text: string, audience?: string) => {
	const {kind, wants, audience: aud, expectedAudience} = classifyTarget(parseTargetUrl(text), audience);
	return {kind, wants, audience: aud, expectedAudience};
};

describe('parseTargetUrl: where a token may go', () => {
	it('takes https anywhere and http only to this machine', () => {
		expect(parseTargetUrl('https://a.run.app/x#frag').href).toBe('https://a.run.app/x');
		expect(parseTargetUrl('http://127.0.0.1:8080/').origin).toBe('http://127.0.0.1:8080');
		expect(parseTargetUrl('http://localhost:1').hostname).toBe('localhost');
		expect(parseTargetUrl('http://[::1]:1').hostname).toBe('[::1]');
	});

	it('refuses, in one sentence, what is not a URL, plain http off this machine, other schemes and credentials in the URL', () => {
		expect(() => parseTargetUrl('not a url')).toThrow('"not a url" is not a URL.');
		expect(() => parseTargetUrl('http://a.run.app')).toThrow(
			'The token is sent only over https (plain http only to this machine), so http://a.run.app was not called.',
		);
		expect(() => parseTargetUrl('http://127.0.0.1.nip.io')).toThrow(/only over https/);
		expect(() => parseTargetUrl('ftp://a.example')).toThrow('ftp: is not a web address');
		expect(() => parseTargetUrl('https://user:pw@a.run.app')).toThrow(/user name or password/);
		// Shown terminal-safe: the escape sequence never reaches the terminal.
		expect(() => parseTargetUrl('\u001b]52;c;x\u0007')).toThrow(/^"[^\u001b\u0007]*" is not a URL\.$/);
	});
});

describe('classifyTarget: the product and the token its host name asks for', () => {
	it('Cloud Run: an ID token for the origin', () => {
		expect(classify('https://hello-abc123-uc.a.run.app/api?x=1')).toEqual({
			kind: 'cloud-run',
			wants: 'id',
			audience: 'https://hello-abc123-uc.a.run.app',
			expectedAudience: 'https://hello-abc123-uc.a.run.app',
		});
	});

	it('Cloud Functions: the full function URL, sub-paths left out', () => {
		expect(classify('https://us-central1-demo.cloudfunctions.net/hello/sub')).toMatchObject({
			kind: 'cloud-functions',
			audience: 'https://us-central1-demo.cloudfunctions.net/hello',
		});
		expect(functionUrlOf(new URL('https://x.cloudfunctions.net'))).toBe('https://x.cloudfunctions.net');
	});

	it('API Gateway and Endpoints, Google APIs, and everything else', () => {
		expect(classify('https://gw-abc.uc.gateway.dev/v1')).toMatchObject({
			kind: 'api-gateway',
			wants: 'id',
			audience: 'https://gw-abc.uc.gateway.dev',
		});
		expect(classify('https://api.endpoints.demo.cloud.goog/')).toMatchObject({kind: 'api-gateway'});
		expect(classify('https://run.googleapis.com/v2/projects/p')).toEqual({
			kind: 'google-api',
			wants: 'access',
			audience: undefined,
			expectedAudience: undefined,
		});
		expect(classify('https://api.example.com/v1')).toMatchObject({kind: 'unknown', wants: 'id', audience: 'https://api.example.com'});
		expect(classify('http://127.0.0.1:9/x')).toMatchObject({kind: 'unknown', audience: 'http://127.0.0.1:9'});
	});

	it('--audience overrides the audience, not the product', () => {
		expect(classify('https://hello-abc123-uc.a.run.app', 'https://custom.example')).toMatchObject({
			kind: 'cloud-run',
			audience: 'https://custom.example',
		});
	});
});

describe('candidateAudiences for --probe', () => {
	it('origin, with a slash, the full URL, the function URL and the given one; five at most, each once', () => {
		const url = new URL('https://x.example/fn/sub');
		expect(candidateAudiences(url, {given: 'aud-given'})).toEqual([
			'https://x.example',
			'https://x.example/',
			'https://x.example/fn/sub',
			'https://x.example/fn',
			'aud-given',
		]);
		expect(candidateAudiences(new URL('https://x.example/'), {given: 'https://x.example'})).toEqual([
			'https://x.example',
			'https://x.example/',
		]);
	});
});
