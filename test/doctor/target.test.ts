import {describe, expect, it} from 'vitest';
import {candidateAudiences, classifyTarget, functionUrlOf, parseTargetUrl, tokenFor} from '../../src/doctor/target.js';

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
		expect(() => parseTargetUrl('ftp://a.example')).toThrow(
			'tokscope doctor sends a bearer token, so it takes http(s) URLs only, not ftp:.',
		);
		expect(() => parseTargetUrl('file:///etc/passwd', 'curl')).toThrow('tokscope curl sends a bearer token');
		expect(() => parseTargetUrl('https://user:pw@a.run.app')).toThrow(/user name or password/);
		// Shown terminal-safe: the escape sequence never reaches the terminal.
		expect(() => parseTargetUrl('\u001b]52;c;x\u0007')).toThrow(/^"\P{Cc}*" is not a URL\.$/u);
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

describe('tokenFor: which token a URL needs, for doctor, curl and try-it alike', () => {
	const tokenOf = (url: string, override: {type?: 'id' | 'access'; audience?: string} = {}) =>
		tokenFor(classifyTarget(parseTargetUrl(url), override.audience), override);

	it('an access token for Google APIs, an ID token for the origin of anything else, and the user’s word over ours', () => {
		expect(tokenOf('https://storage.googleapis.com/storage/v1/b?project=p')).toEqual({type: 'access'});
		const run = 'https://hello-abc123-uc.a.run.app';
		expect(tokenOf(`${run}/path?q=1`)).toEqual({type: 'id', audience: run});
		// A look-alike host is not Google's.
		expect(tokenOf('https://googleapis.com.evil.example/')).toMatchObject({type: 'id'});
		expect(tokenOf('https://example.com/fn', {audience: 'https://region-p.cloudfunctions.net/fn'})).toEqual({
			type: 'id',
			audience: 'https://region-p.cloudfunctions.net/fn',
		});
		expect(tokenOf('http://127.0.0.1:8080/v1/x', {type: 'access'})).toEqual({type: 'access'});
		const storage = 'https://storage.googleapis.com';
		expect(tokenOf(`${storage}/x`, {type: 'id'})).toEqual({type: 'id', audience: storage});
		// IAP's OAuth client ID as the audience means an ID token for it.
		const clientId = '1234-abc.apps.googleusercontent.com';
		expect(tokenOf('https://iap.example.com/', {audience: clientId})).toEqual({type: 'id', audience: clientId});
	});

	it('a Cloud Function’s ID token is for the full function URL, not the origin', () => {
		for (const url of ['https://us-central1-p.cloudfunctions.net/hello', 'https://us-central1-p.cloudfunctions.net/hello/sub/path?x=1']) {
			expect(tokenOf(url)).toEqual({type: 'id', audience: 'https://us-central1-p.cloudfunctions.net/hello'});
		}
	});
});
