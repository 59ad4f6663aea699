import {decodeJwt} from 'jose';
import {join} from 'node:path';
import {beforeAll, expect, it} from 'vitest';
import type {CredentialFiles} from '../../src/emulator/index.js';
import {describeInBox} from '../support/sealed-box.js';

// print-* as on a Compute Engine VM: Google's real names over HTTPS, the metadata server at 169.254.169.254, and an
// environment holding nothing but the CA the box's HTTPS is signed by (and, per test, what a user would set).

const cloudRun = 'https://hello-abc123xyz-uc.a.run.app';

describeInBox('print-* in the sealed box, with no overrides', box => {
	let files: CredentialFiles;
	beforeAll(async () => {
		files = await box.emulator.writeCredentialFiles(join(box.dir, 'creds'));
	});

	it('print-access-token with nothing set finds the metadata server as ADC does on a VM', async () => {
		const result = await box.cli(['print-access-token']);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
	});

	it('print-access-token --source metadata with --scopes, in every --format', async () => {
		const scopes = 'https://www.googleapis.com/auth/devstorage.read_only';
		const json = await box.cli(['print-access-token', '--source', 'metadata', '--scopes', scopes, '--format', 'json']);
		expect(json).toMatchObject({code: 0, stderr: ''});
		const answer = JSON.parse(json.stdout) as {token: string; kind: string; principal: string; scopes: string[]; expiresAt: string};
		expect(answer).toMatchObject({kind: 'google-access-token', principal: box.emulator.serviceAccountEmail, scopes: [scopes]});
		expect(Date.parse(answer.expiresAt)).toBeGreaterThan(Date.now());
		const header = await box.cli(['print-access-token', '--source', 'metadata', '--format', 'header']);
		expect(header.stdout).toMatch(/^Authorization: Bearer ya29\.[\w.-]+\n$/);
	});

	it('print-identity-token from the metadata server is issued by https://accounts.google.com for the audience', async () => {
		const result = await box.cli(['print-identity-token', '--audiences', cloudRun]);
		expect(result).toMatchObject({code: 0, stderr: ''});
		const claims = decodeJwt(result.stdout.trim());
		expect(claims).toMatchObject({iss: 'https://accounts.google.com', aud: cloudRun});
		expect(claims.email).toBeUndefined();
	});

	it('print-identity-token --token-format full carries the VM’s identity, and --include-email the email', async () => {
		const full = await box.cli(['print-identity-token', '--source', 'metadata', '--audiences', cloudRun, '--token-format', 'full']);
		expect(full).toMatchObject({code: 0, stderr: ''});
		expect(decodeJwt(full.stdout.trim())).toMatchObject({email: box.emulator.serviceAccountEmail, google: {compute_engine: {}}});
		const withEmail = await box.cli(['print-identity-token', '--audiences', cloudRun, '--include-email']);
		expect(withEmail).toMatchObject({code: 0, stderr: ''});
		expect(decodeJwt(withEmail.stdout.trim()).email).toBe(box.emulator.serviceAccountEmail);
	});

	it('--include-email is never dropped: a standard token has no email, so asking for both is refused', async () => {
		const result = await box.cli(['print-identity-token', '--audiences', cloudRun, '--include-email', '--token-format', 'standard']);
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toMatch(/standard ID tokens carry no email/);
	});

	it('source flags typed before the command apply to it, never silently dropped for another identity', async () => {
		const target = `tokscope-target@${box.emulator.projectId}.iam.gserviceaccount.com`;
		const before = await box.cli(['--impersonate-service-account', target, 'print-access-token', '--format', 'json']);
		expect(before).toMatchObject({code: 0, stderr: ''});
		expect(JSON.parse(before.stdout)).toMatchObject({principal: target});
		const twice = await box.cli(['--source', 'metadata', 'print-access-token', '--source', 'gcloud']);
		expect(twice).toMatchObject({code: 1, stdout: ''});
		expect(twice.stderr).toMatch(/--source is given twice/);
		const nowhere = await box.cli(['--source', 'metadata', 'inspect', 'x.y.z']);
		expect(nowhere).toMatchObject({code: 1, stdout: ''});
		expect(nowhere.stderr).toMatch(/--source does not apply to inspect/);
	});

	it('a key file through ADC: the assertion goes to the token_uri it names, Google’s, over HTTPS', async () => {
		const env = box.env({GOOGLE_APPLICATION_CREDENTIALS: files.serviceAccountKey});
		const access = await box.cli(['print-access-token'], {env});
		expect(access).toMatchObject({code: 0, stderr: ''});
		expect(access.stdout).toMatch(/^ya29\./);
		const id = await box.cli(['print-identity-token', '--audiences', cloudRun], {env});
		expect(id).toMatchObject({code: 0, stderr: ''});
		expect(decodeJwt(id.stdout.trim())).toMatchObject({iss: 'https://accounts.google.com', aud: cloudRun});
		const keyFile = await box.cli(['print-access-token', '--source', 'key-file', '--key-file', files.serviceAccountKey]);
		expect(keyFile).toMatchObject({code: 0, stderr: ''});
	});

	it('impersonation on top of the metadata server asks iamcredentials.googleapis.com', async () => {
		const target = `tokscope-target@${box.emulator.projectId}.iam.gserviceaccount.com`;
		const access = await box.cli(['print-access-token', '--impersonate-service-account', target, '--format', 'json']);
		expect(access).toMatchObject({code: 0, stderr: ''});
		expect(JSON.parse(access.stdout)).toMatchObject({principal: target});
		const id = await box.cli(['print-identity-token', '--impersonate-service-account', target, '--audiences', cloudRun, '--include-email']);
		expect(id).toMatchObject({code: 0, stderr: ''});
		expect(decodeJwt(id.stdout.trim())).toMatchObject({iss: 'https://accounts.google.com', email: target, aud: cloudRun});
		expect(box.emulator.requests.some(request => request.path.includes(':generateIdToken'))).toBe(true);
	});

	it('workload identity federation: the subject token goes to sts.googleapis.com, then IAM Credentials', async () => {
		const env = box.env({GOOGLE_APPLICATION_CREDENTIALS: files.externalAccount});
		const access = await box.cli(['print-access-token', '--format', 'json'], {env});
		expect(access).toMatchObject({code: 0, stderr: ''});
		expect(JSON.parse(access.stdout)).toMatchObject({principal: `tokscope-target@${box.emulator.projectId}.iam.gserviceaccount.com`});
		const external = await box.cli(['print-access-token', '--source', 'external', '--key-file', files.externalAccount]);
		expect(external).toMatchObject({code: 0, stderr: ''});
		expect(box.emulator.requests.some(request => request.path === '/v1/token')).toBe(true);
	});

	it('a signed-in user’s file (authorized_user) refreshes at oauth2.googleapis.com', async () => {
		const env = box.env({GOOGLE_APPLICATION_CREDENTIALS: files.authorizedUser});
		const access = await box.cli(['print-access-token', '--format', 'json'], {env});
		expect(access).toMatchObject({code: 0, stderr: ''});
		expect(JSON.parse(access.stdout)).toMatchObject({kind: 'google-access-token'});
		// A user credential mints ID tokens only for its own client: said in a sentence, not a stack trace.
		const id = await box.cli(['print-identity-token', '--audiences', cloudRun], {env});
		expect(id.code).not.toBe(0);
		expect(id.stderr.trim().split('\n')).toHaveLength(1);
	});

	it('the impersonated_service_account file: the user’s refresh, then IAM', async () => {
		const env = box.env({GOOGLE_APPLICATION_CREDENTIALS: files.impersonated});
		const id = await box.cli(['print-identity-token', '--audiences', cloudRun], {env});
		expect(id).toMatchObject({code: 0, stderr: ''});
		expect(decodeJwt(id.stdout.trim())).toMatchObject({iss: 'https://accounts.google.com', aud: cloudRun});
	});

	it('gcloud as the source, itself on the VM’s metadata server', async () => {
		const env = box.env({
			PATH: process.env.PATH,
			HOME: join(box.dir, 'home'),
			CLOUDSDK_CONFIG: join(box.dir, 'gcloud-config'),
			CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE: box.caFile,
		});
		const access = await box.cli(['print-access-token', '--source', 'gcloud'], {env, timeoutMs: 60_000});
		expect(access).toMatchObject({code: 0, stderr: ''});
		expect(access.stdout).toMatch(/^ya29\./);
	}, 60_000);
});
