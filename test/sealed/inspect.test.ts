import {expect, it} from 'vitest';
import {describeInBox} from '../support/sealed-box.js';

// inspect as on a VM: a Google ID token is verified against https://www.googleapis.com/oauth2/v3/certs over HTTPS, and
// an access token is asked about at oauth2.googleapis.com/tokeninfo, with nothing in the environment but the CA.

const cloudRun = 'https://hello-abc123xyz-uc.a.run.app';

/** The same token with one character of its signature changed: still well-formed, no longer Google's. */
function tampered(token: string): string {
	const [header, payload, signature = ''] = token.split('.');
	const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
	return [header, payload, flipped].join('.');
}

describeInBox('inspect in the sealed box, with no overrides', box => {
	const idToken = async () => (await box.cli(['print-identity-token', '--audiences', cloudRun])).stdout.trim();

	it('verifies a Google ID token with Google’s published keys, fetched over HTTPS', async () => {
		const result = await box.cli(['inspect', await idToken()]);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toMatch(/signature +✓ valid — Signature verified with Google’s published keys/);
		const json = JSON.parse((await box.cli(['inspect', '--json', await idToken()])).stdout) as {verification: {status: string}};
		expect(json.verification.status).toBe('valid');
	});

	it('a tampered token is invalid, exit 1 — never "unverified" and exit 0', async () => {
		const result = await box.cli(['inspect', tampered(await idToken())]);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/signature +✗ invalid/);
		const json = JSON.parse((await box.cli(['inspect', '--json', tampered(await idToken())])).stdout) as {
			verification: {status: string};
		};
		expect(json.verification.status).toBe('invalid');
	});

	it('a token past its exp is invalid, exit 1, said with how long ago it expired', async () => {
		// Judged three hours on (--at), rather than waiting: the keys are still fetched from Google's address now.
		const later = new Date(Date.now() + 3 * 3600_000).toISOString();
		const result = await box.cli(['inspect', await idToken(), '--at', later]);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/the token expired (1h 59m|2h 00m) ago/);
	});

	it('--tokeninfo asks Google’s tokeninfo about an access token and shows its answer', async () => {
		const token = (await box.cli(['print-access-token'])).stdout.trim();
		const result = await box.cli(['inspect', '--tokeninfo', token]);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toContain(box.emulator.serviceAccountEmail);
		expect(result.stdout).toMatch(/cloud-platform/);
	});

	it('an issuer whose keys cannot be had is unverified, said in one sentence, never a crash', async () => {
		// A token naming an issuer the box cannot resolve: the name fails at once (nothing answers DNS in the box).
		const header = Buffer.from(JSON.stringify({alg: 'RS256', kid: 'k'})).toString('base64url');
		const payload = Buffer.from(
			JSON.stringify({iss: 'https://issuer.invalid', aud: 'x', exp: Math.floor(Date.now() / 1000) + 600}),
		).toString('base64url');
		const result = await box.cli(['inspect', `${header}.${payload}.${'A'.repeat(342)}`]);
		expect(result.stderr).toBe('');
		expect(result.stdout).toMatch(/signature +\? unverified — .*issuer\.invalid/);
	});
});
