import {describe, expect, it} from 'vitest';
import {copyPayload} from '../../src/ui/copy-actions.js';

describe('what the copy keys put on the clipboard', () => {
	it('sends an access token’s curl to the tokeninfo it is given (the emulator’s in the demo), quoted for the shell', () => {
		const payload = copyPayload('curl', {token: 'ya29.abc', type: 'access', audience: undefined, claims: null, tokenInfoUrl: 'http://127.0.0.1:9/tokeninfo'});
		expect(payload).toEqual({
			text: `curl -X POST -H 'Authorization: Bearer ya29.abc' http://127.0.0.1:9/tokeninfo`,
			what: 'a curl command asking tokeninfo (http://127.0.0.1:9/tokeninfo) about the access token',
		});
		expect(copyPayload('curl', {token: 'ya29.abc', type: 'access', audience: undefined, claims: null})).toMatchObject({
			text: expect.stringContaining('https://oauth2.googleapis.com/tokeninfo'),
		});
	});

	it('quotes an audience with shell characters', () => {
		expect(copyPayload('curl', {token: 'e.y.j', type: 'id', audience: "https://x.run.app/?a=1&b='2'", claims: {}})).toMatchObject({
			text: `curl -H 'Authorization: Bearer e.y.j' 'https://x.run.app/?a=1&b='\\''2'\\'''`,
		});
	});
});
