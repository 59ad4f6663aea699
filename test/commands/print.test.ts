import {decodeJwt} from 'jose';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {printAccessToken, printIdentityToken} from '../../src/commands/print.js';
import type {Terminal} from '../../src/io/terminal.js';
import {startFixture, type Fixture} from '../support/fixture.js';
import {testTerminal} from '../support/terminal.js';

// The commands in-process, against the emulator: what lands on stdout and stderr is exactly what a script sees.
let fixture: Fixture;
beforeAll(async () => {
	fixture = await startFixture();
});
afterAll(() => fixture.close());
afterEach(() => {
	fixture.emulator.clearFaults();
});

const plain = {copy: false, clipboard: 'auto' as const};
const idDefaults = {includeEmail: false, format: 'standard' as const, includeLicenses: false};

/** Runs a command with a terminal of its own, recording stdout and stderr (and still letting a failure throw). */
async function captured(run: (terminal: Terminal) => Promise<number>): Promise<{code: number; stdout: string; stderr: string}> {
	const {terminal, stdout, stderr} = testTerminal();
	return {code: await run(terminal), stdout: stdout(), stderr: stderr()};
}

async function tokeninfo(token: string): Promise<Record<string, string>> {
	return (await (await fetch(`${fixture.emulator.url}/tokeninfo?access_token=${token}`)).json()) as Record<string, string>;
}

describe('print-access-token', () => {
	it('prints exactly the token and a newline, with the scopes asked for, from a key file', async () => {
		const scopes = ['https://www.googleapis.com/auth/devstorage.read_only', 'https://www.googleapis.com/auth/pubsub'];
		const result = await captured(terminal =>
			printAccessToken(
				{source: {source: 'key-file', keyFile: fixture.files.serviceAccountKey, env: fixture.env()}, scopes, ...plain},
				terminal,
			),
		);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
		const info = await tokeninfo(result.stdout.trim());
		expect(info.email).toBe(fixture.emulator.serviceAccountEmail);
		expect(info.scope?.split(' ').sort()).toEqual(scopes);
	});

	it('defaults to ADC and shows a self-impersonation warning on stderr while stdout stays the bare token', async () => {
		const env = fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey});
		const adc = await captured(terminal => printAccessToken({source: {source: 'adc', env}, ...plain}, terminal));
		expect(adc).toMatchObject({code: 0, stderr: ''});
		const self = await captured(terminal =>
			printAccessToken({source: {source: 'impersonate', impersonate: [fixture.emulator.serviceAccountEmail], env}, ...plain}, terminal),
		);
		expect(self.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
		expect(self.stderr).toMatch(
			/^tokscope: warning: .* is impersonating itself: Google's guidance treats self-impersonation as a vulnerability/,
		);
		expect(self.stderr).not.toContain(self.stdout.trim());
	});

	it('fails with one sentence and nothing on stdout when a refresh token was revoked', async () => {
		fixture.emulator.setFault('/token', {
			status: 400,
			body: {error: 'invalid_grant', error_description: 'Token has been expired or revoked.'},
		});
		const {terminal, stdout} = testTerminal();
		await expect(
			printAccessToken(
				{
					source: {source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser})},
					...plain,
				},
				terminal,
			),
		).rejects.toMatchObject({
			message: 'The refresh token was revoked or has expired (invalid_grant).',
			hint: 'Renew it with: gcloud auth application-default login',
		});
		expect(stdout()).toBe('');
	});
});

describe('print-identity-token', () => {
	it('asks the metadata server with the audience intact and honours --token-format full and --include-license', async () => {
		const audience = 'https://svc.run.app/path?a=1&b=2';
		const result = await captured(terminal =>
			printIdentityToken(
				{
					source: {source: 'metadata', env: fixture.env()},
					audience,
					...plain,
					...idDefaults,
					format: 'full',
					includeLicenses: true,
				},
				terminal,
			),
		);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout.endsWith('\n')).toBe(true);
		const claims = decodeJwt(result.stdout.trim());
		expect(claims).toMatchObject({aud: audience, email: fixture.emulator.serviceAccountEmail});
		expect(claims.google).toMatchObject({compute_engine: {project_id: fixture.emulator.projectId}});
	});

	it('impersonates with --include-email, and names the missing role on a 403', async () => {
		const target = 'runner@tokscope-demo.iam.gserviceaccount.com';
		const source = {
			source: 'impersonate' as const,
			impersonate: [target],
			env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey}),
		};
		const ok = await captured(terminal =>
			printIdentityToken({source, audience: 'https://a.run.app', ...plain, ...idDefaults, includeEmail: true}, terminal),
		);
		expect(decodeJwt(ok.stdout.trim())).toMatchObject({aud: 'https://a.run.app', email: target});
		fixture.emulator.setFault(':generateIdToken', {
			status: 403,
			body: {error: {code: 403, message: 'denied', status: 'PERMISSION_DENIED'}},
		});
		await expect(
			printIdentityToken({source, audience: 'https://a.run.app', ...plain, ...idDefaults}, testTerminal().terminal),
		).rejects.toThrow(
			`The caller may not mint ID tokens for ${target}: it needs roles/iam.serviceAccountOpenIdTokenCreator on ` +
				`that service account (IAM answered 403).`,
		);
	});

	it('explains why a user credential cannot mint an ID token for a service, and what to do instead', async () => {
		const source = {source: 'adc' as const, env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser})};
		const before = fixture.emulator.requests.length;
		await expect(
			printIdentityToken({source, audience: 'https://a.run.app', ...plain, ...idDefaults}, testTerminal().terminal),
		).rejects.toThrow(
			/^A user credential can only mint ID tokens whose audience is its own OAuth client, not an arbitrary service\. Impersonate/,
		);
		// Refused before anything is sent: the library would otherwise return the user's own ID token for the wrong audience.
		expect(fixture.emulator.requests.length).toBe(before);
	});
});

// gcloud's own OAuth client: the audience gcloud mints for when --audiences is absent (googlecloudsdk/core/config.py).
const gcloudClientId = '32555940559.apps.googleusercontent.com';
const defaultAudienceLine = (audience: string) =>
	`tokscope: no --audiences given, so the token's audience is ${audience} (the source's default, as gcloud does); ` +
	`a Cloud Run service rejects it unless the audience is that service's URL.\n`;

describe('print-identity-token without --audiences, as gcloud', () => {
	it('mints for gcloud’s client ID from the metadata server, a key file and impersonation, and says so in one line', async () => {
		const keyEnv = fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey});
		const sources = [
			{source: 'metadata' as const, env: fixture.env()},
			{source: 'key-file' as const, keyFile: fixture.files.serviceAccountKey, env: fixture.env()},
			{source: 'impersonate' as const, impersonate: ['runner@tokscope-demo.iam.gserviceaccount.com'], env: keyEnv},
		];
		for (const source of sources) {
			const result = await captured(terminal => printIdentityToken({source, ...plain, ...idDefaults}, terminal));
			expect(result.code).toBe(0);
			expect(decodeJwt(result.stdout.trim()).aud).toBe(gcloudClientId);
			expect(result.stderr.split('\n').filter(line => line.includes('--audiences'))).toEqual([
				defaultAudienceLine(gcloudClientId).trimEnd(),
			]);
		}
	});

	it('gives a user credential’s ID token for its own OAuth client, which is all Google lets it mint', async () => {
		const source = {source: 'adc' as const, env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser})};
		const result = await captured(terminal => printIdentityToken({source, ...plain, ...idDefaults}, terminal));
		expect(result.code).toBe(0);
		expect(decodeJwt(result.stdout.trim()).aud).toBe(fixture.emulator.gcloudClient.id);
		expect(result.stderr).toBe(defaultAudienceLine(fixture.emulator.gcloudClient.id));
	});
});

describe('--format', () => {
	it('header prints the Authorization header line and nothing else', async () => {
		const result = await captured(terminal =>
			printAccessToken({source: {source: 'metadata', env: fixture.env()}, ...plain, output: 'header'}, terminal),
		);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toMatch(/^Authorization: Bearer ya29\.[\w.-]+\n$/);
	});

	it('json gives a script the token, its kind, when it expires, whose it is and its scopes', async () => {
		const scopes = ['https://www.googleapis.com/auth/pubsub'];
		const started = Date.now();
		const result = await captured(terminal =>
			printAccessToken({source: {source: 'metadata', env: fixture.env()}, scopes, ...plain, output: 'json'}, terminal),
		);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout.endsWith('}\n')).toBe(true);
		const json = JSON.parse(result.stdout) as Record<string, unknown>;
		expect(Object.keys(json).sort()).toEqual(['expiresAt', 'kind', 'principal', 'scopes', 'token']);
		expect(json).toMatchObject({kind: 'google-access-token', principal: fixture.emulator.serviceAccountEmail, scopes});
		expect((await tokeninfo(String(json.token))).email).toBe(fixture.emulator.serviceAccountEmail);
		const expiresIn = Date.parse(String(json.expiresAt)) - started;
		expect(expiresIn).toBeGreaterThan(3500_000);
		expect(expiresIn).toBeLessThan(3700_000);
	});

	it('json for an ID token names the audience and the expiry from its exp claim', async () => {
		const audience = 'https://svc.run.app';
		const result = await captured(terminal =>
			printIdentityToken({source: {source: 'metadata', env: fixture.env()}, audience, ...plain, ...idDefaults, output: 'json'}, terminal),
		);
		const json = JSON.parse(result.stdout) as Record<string, unknown>;
		expect(Object.keys(json).sort()).toEqual(['audience', 'expiresAt', 'kind', 'principal', 'token']);
		const claims = decodeJwt(String(json.token));
		// The emulator's issuer is not Google's: an ID token, as inspect --json names it.
		expect(json).toMatchObject({kind: 'id-token', audience, principal: fixture.emulator.serviceAccountEmail});
		expect(json.expiresAt).toBe(new Date(claims.exp! * 1000).toISOString());
	});
});

describe('--lifetime for impersonated access tokens', () => {
	const target = 'runner@tokscope-demo.iam.gserviceaccount.com';
	const impersonate = () => ({
		source: 'impersonate' as const,
		impersonate: [target],
		env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey}),
	});

	it('asks IAM for the lifetime given, and the token says so', async () => {
		const started = Date.now();
		const result = await captured(terminal =>
			printAccessToken({source: impersonate(), lifetimeSeconds: 1200, ...plain, output: 'json'}, terminal),
		);
		expect(result).toMatchObject({code: 0, stderr: ''});
		const expiresIn = Date.parse(String((JSON.parse(result.stdout) as {expiresAt: string}).expiresAt)) - started;
		expect(expiresIn).toBeGreaterThan(1100_000);
		expect(expiresIn).toBeLessThan(1300_000);
	});

	it('names the organisation-policy constraint in one sentence when IAM refuses more than an hour', async () => {
		const {terminal, stdout} = testTerminal();
		await expect(printAccessToken({source: impersonate(), lifetimeSeconds: 7200, ...plain}, terminal)).rejects.toThrow(
			`IAM Credentials refused a lifetime of 7200 s: beyond 3600 s the organisation policy constraint ` +
				`constraints/iam.allowServiceAccountCredentialLifetimeExtension must list ${target}.`,
		);
		expect(stdout()).toBe('');
	});

	it('gets 12 hours where the organisation policy allows it', async () => {
		const extended = await startFixture({maxAccessTokenLifetimeSeconds: 43_200});
		try {
			const source = {
				source: 'impersonate' as const,
				impersonate: [target],
				env: extended.env({GOOGLE_APPLICATION_CREDENTIALS: extended.files.serviceAccountKey}),
			};
			const started = Date.now();
			const result = await captured(terminal => printAccessToken({source, lifetimeSeconds: 43_200, ...plain, output: 'json'}, terminal));
			const expiresIn = Date.parse(String((JSON.parse(result.stdout) as {expiresAt: string}).expiresAt)) - started;
			expect(expiresIn).toBeGreaterThan(43_100_000);
		} finally {
			await extended.close();
		}
	});

	it('is refused before anything is sent for a source that cannot choose it, or a number IAM never accepts', async () => {
		const before = fixture.emulator.requests.length;
		await expect(
			printAccessToken({source: {source: 'metadata', env: fixture.env()}, lifetimeSeconds: 600, ...plain}, testTerminal().terminal),
		).rejects.toThrow('--lifetime applies to impersonated service accounts only (as in gcloud): add --impersonate-service-account SA.');
		await expect(printAccessToken({source: impersonate(), lifetimeSeconds: 43_201, ...plain}, testTerminal().terminal)).rejects.toThrow(
			'--lifetime takes whole seconds from 1 to 43200 (12 hours, IAM’s ceiling), not 43201.',
		);
		expect(fixture.emulator.requests.length).toBe(before);
	});
});
