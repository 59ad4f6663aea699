import {decodeJwt} from 'jose';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {printAccessToken, printIdentityToken} from '../../src/commands/print.js';
import {startFixture, type Fixture} from '../support/fixture.js';

// The commands in-process, against the emulator: what lands on stdout and stderr is exactly what a script sees.
let fixture: Fixture;
beforeAll(async () => {
	fixture = await startFixture();
});
afterAll(() => fixture.close());
afterEach(() => {
	fixture.emulator.clearFaults();
	vi.restoreAllMocks();
});

const plain = {copy: false, clipboard: 'auto' as const};
const idDefaults = {includeEmail: false, format: 'standard' as const, includeLicenses: false};

/** Runs a command, recording stdout and stderr (and still letting a failure throw). */
async function captured(run: () => Promise<number>): Promise<{code: number; stdout: string; stderr: string}> {
	let stdout = '';
	let stderr = '';
	vi.spyOn(process.stdout, 'write').mockImplementation(chunk => ((stdout += String(chunk)), true));
	vi.spyOn(process.stderr, 'write').mockImplementation(chunk => ((stderr += String(chunk)), true));
	try {
		return {code: await run(), stdout, stderr};
	} finally {
		vi.restoreAllMocks();
	}
}

async function tokeninfo(token: string): Promise<Record<string, string>> {
	return (await (await fetch(`${fixture.emulator.url}/tokeninfo?access_token=${token}`)).json()) as Record<string, string>;
}

describe('print-access-token', () => {
	it('prints exactly the token and a newline, with the scopes asked for, from a key file', async () => {
		const scopes = ['https://www.googleapis.com/auth/devstorage.read_only', 'https://www.googleapis.com/auth/pubsub'];
		const result = await captured(() => printAccessToken({source: {source: 'key-file', keyFile: fixture.files.serviceAccountKey, env: fixture.env()}, scopes, ...plain}));
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
		const info = await tokeninfo(result.stdout.trim());
		expect(info.email).toBe(fixture.emulator.serviceAccountEmail);
		expect(info.scope?.split(' ').sort()).toEqual(scopes);
	});

	it('defaults to ADC and shows a self-impersonation warning on stderr while stdout stays the bare token', async () => {
		const env = fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey});
		const adc = await captured(() => printAccessToken({source: {source: 'adc', env}, ...plain}));
		expect(adc).toMatchObject({code: 0, stderr: ''});
		const self = await captured(() => printAccessToken({source: {source: 'impersonate', impersonate: [fixture.emulator.serviceAccountEmail], env}, ...plain}));
		expect(self.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
		expect(self.stderr).toMatch(/^tokscope: warning: .* is impersonating itself: Google's guidance treats self-impersonation as a vulnerability/);
		expect(self.stderr).not.toContain(self.stdout.trim());
	});

	it('fails with one sentence and nothing on stdout when a refresh token was revoked', async () => {
		fixture.emulator.setFault('/token', {status: 400, body: {error: 'invalid_grant', error_description: 'Token has been expired or revoked.'}});
		let stdout = '';
		vi.spyOn(process.stdout, 'write').mockImplementation(chunk => ((stdout += String(chunk)), true));
		await expect(printAccessToken({source: {source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser})}, ...plain})).rejects.toMatchObject({
			message: 'The refresh token was revoked or has expired (invalid_grant).',
			hint: 'Renew it with: gcloud auth application-default login',
		});
		expect(stdout).toBe('');
	});
});

describe('print-identity-token', () => {
	it('asks the metadata server with the audience intact and honours --token-format full and --include-license', async () => {
		const audience = 'https://svc.run.app/path?a=1&b=2';
		const result = await captured(() => printIdentityToken({source: {source: 'metadata', env: fixture.env()}, audience, ...plain, ...idDefaults, format: 'full', includeLicenses: true}));
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout.endsWith('\n')).toBe(true);
		const claims = decodeJwt(result.stdout.trim());
		expect(claims).toMatchObject({aud: audience, email: fixture.emulator.serviceAccountEmail});
		expect(claims.google).toMatchObject({compute_engine: {project_id: fixture.emulator.projectId}});
	});

	it('impersonates with --include-email, and names the missing role on a 403', async () => {
		const target = 'runner@tokscope-demo.iam.gserviceaccount.com';
		const source = {source: 'impersonate' as const, impersonate: [target], env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey})};
		const ok = await captured(() => printIdentityToken({source, audience: 'https://a.run.app', ...plain, ...idDefaults, includeEmail: true}));
		expect(decodeJwt(ok.stdout.trim())).toMatchObject({aud: 'https://a.run.app', email: target});
		fixture.emulator.setFault(':generateIdToken', {status: 403, body: {error: {code: 403, message: 'denied', status: 'PERMISSION_DENIED'}}});
		await expect(printIdentityToken({source, audience: 'https://a.run.app', ...plain, ...idDefaults})).rejects.toThrow(
			`The caller may not mint ID tokens for ${target}: it needs roles/iam.serviceAccountOpenIdTokenCreator on that service account (IAM answered 403).`,
		);
	});

	it('explains why a user credential cannot mint an ID token for a service, and what to do instead', async () => {
		const source = {source: 'adc' as const, env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser})};
		const before = fixture.emulator.requests.length;
		await expect(printIdentityToken({source, audience: 'https://a.run.app', ...plain, ...idDefaults})).rejects.toThrow(
			/^A user credential can only mint ID tokens whose audience is its own OAuth client, not an arbitrary service\. Impersonate a service account/,
		);
		// Refused before anything is sent: the library would otherwise return the user's own ID token for the wrong audience.
		expect(fixture.emulator.requests.length).toBe(before);
	});

	it('asks for an audience in words when none is given', async () => {
		await expect(printIdentityToken({source: {source: 'metadata', env: fixture.env()}, audience: '', ...plain, ...idDefaults})).rejects.toThrow(/An ID token needs an audience/);
	});
});
