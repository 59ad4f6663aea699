import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import {decodeJwt} from 'jose';
import {describe, expect, it} from 'vitest';
import type {TokscopeError} from '../../src/core/errors.js';
import {createSource} from '../../src/sources/index.js';
import {runCli} from '../support/cli.js';
import {useFixture} from '../support/fixture.js';

const built = existsSync(resolve('dist/cli.js'));
const fixture = useFixture();

const audience = 'https://hello-abc123.a.run.app/?q=1&x=2';

describe('impersonation through IAM Credentials', () => {
	const target = 'runner@tokscope-demo.iam.gserviceaccount.com';
	const delegate = 'hop@tokscope-demo.iam.gserviceaccount.com';

	it('mints both kinds along a delegation chain in gcloud order', async () => {
		const source = createSource({
			source: 'impersonate',
			impersonate: [delegate, target],
			env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey}),
		});
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
		expect(decodeJwt((await source.idToken({audience, includeEmail: true})).token)).toMatchObject({aud: audience, email: target});
		expect(await source.describe()).toMatchObject({principal: target, projectId: 'tokscope-demo'});
		expect((await source.describe()).origin).toContain(`acting as ${target} through ${delegate}`);
	});

	it('impersonates on top of the metadata server when ADC ends there', async () => {
		const source = createSource({source: 'impersonate', impersonate: [target], env: fixture.env()});
		expect(decodeJwt((await source.idToken({audience, includeEmail: true})).token).email).toBe(target);
		expect((await source.describe()).origin).toBe(
			`IAM Credentials acting as ${target}, called by ${fixture.emulator.serviceAccountEmail} (the metadata ` +
				`server at ${fixture.emulator.host})`,
		);
	});

	it('finds the metadata server it impersonates on top of through the environment it was given, and never writes process.env', async () => {
		// google-auth-library's Compute client would look for the server through process.env.GCE_METADATA_HOST.
		const before = {...process.env};
		const asked = fixture.emulator.requests.length;
		const source = createSource({source: 'impersonate', impersonate: [target], env: fixture.env()});
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
		expect(decodeJwt((await source.idToken({audience, includeEmail: true})).token)).toMatchObject({aud: audience, email: target});
		const paths = fixture.emulator.requests.slice(asked).map(request => request.path);
		expect(paths.some(path => path.startsWith('/computeMetadata/v1/instance/service-accounts/default/token'))).toBe(true);
		expect(paths.some(path => path.includes(':generateAccessToken'))).toBe(true);
		expect(process.env).toEqual(before);
	});

	it('names the missing role and the service account on 403', async () => {
		const source = createSource({source: 'impersonate', impersonate: [target], env: fixture.env()});
		fixture.emulator.setFault(':generateAccessToken', {
			status: 403,
			body: {error: {code: 403, message: "Permission 'iam.serviceAccounts.getAccessToken' denied", status: 'PERMISSION_DENIED'}},
		});
		// The permission IAM names is in the sentence, with the role that grants it.
		await expect(source.accessToken()).rejects.toThrow(
			`lacks iam.serviceAccounts.getAccessToken on ${target} (IAM answered 403): it needs roles/iam.serviceAccountTokenCreator`,
		);
		fixture.emulator.setFault(':generateIdToken', {
			status: 403,
			body: {error: {code: 403, message: 'denied', status: 'PERMISSION_DENIED'}},
		});
		await expect(source.idToken({audience})).rejects.toThrow(
			`may not mint ID tokens for ${target}: it needs roles/iam.serviceAccountOpenIdTokenCreator`,
		);
	});

	it('names the caller as the member to grant the role to: a service account, or the signed-in user', async () => {
		fixture.emulator.breakIt({kind: 'permission-denied'});
		try {
			const role = 'roles/iam.serviceAccountOpenIdTokenCreator';
			const grant = (member: string) => `gcloud iam service-accounts add-iam-policy-binding ${target} --member=${member} --role=${role}`;
			// ADC ends at the metadata server: its service account calls IAM.
			const onMetadata = createSource({source: 'impersonate', impersonate: [target], env: fixture.env()});
			const refused = await onMetadata.idToken({audience}).then(
				() => expect.unreachable(),
				(error: TokscopeError) => error,
			);
			const caller = fixture.emulator.serviceAccountEmail;
			expect(refused.message).toContain(`${caller} lacks iam.serviceAccounts.getOpenIdToken on ${target} (IAM answered 403)`);
			expect(refused.hint).toBe(`Fix: ${grant(`serviceAccount:${caller}`)}`);
			// A user's refresh token calls IAM: the refresh answer (inside the library) names the user.
			const asUser = createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.impersonated})});
			const userRefused = await asUser.accessToken().then(
				() => expect.unreachable(),
				(error: TokscopeError) => error,
			);
			expect(userRefused.hint).toContain('--member=user:demo-user@example.com --role=roles/iam.serviceAccountTokenCreator');
		} finally {
			fixture.emulator.heal();
		}
	});

	it.skipIf(!built)(
		'the built print-identity-token says the permission, the role, the target and the exact member when IAM answers 403',
		async () => {
			fixture.emulator.breakIt({kind: 'permission-denied'});
			try {
				const keyFile = {GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey};
				const args = ['print-identity-token', '--impersonate-service-account', target, '--audiences', audience];
				const result = await runCli(args, {env: fixture.env(keyFile)});
				const role = 'roles/iam.serviceAccountOpenIdTokenCreator';
				const caller = fixture.emulator.serviceAccountEmail;
				expect(result.code).toBe(1);
				expect(result.stdout).toBe('');
				expect(result.stderr).toContain(
					`${caller} lacks iam.serviceAccounts.getOpenIdToken on ${target} (IAM answered 403): it needs ${role} on that service account`,
				);
				const grant = `gcloud iam service-accounts add-iam-policy-binding ${target} --member=serviceAccount:${caller} --role=${role}`;
				expect(result.stderr).toContain(grant);
				expect(result.stderr).not.toContain('user:YOU');
			} finally {
				fixture.emulator.heal();
			}
		},
	);

	it('says the service account does not exist on 404, and refuses a list entry that is not an email', async () => {
		const source = createSource({source: 'impersonate', impersonate: [target], env: fixture.env()});
		fixture.emulator.setFault(':generateAccessToken', {
			status: 404,
			body: {error: {code: 404, message: 'Not found; Gaia id not found for email', status: 'NOT_FOUND'}},
		});
		await expect(source.accessToken()).rejects.toThrow(`IAM Credentials does not know the service account ${target} (HTTP 404)`);
		await expect(createSource({source: 'impersonate', impersonate: ['runner', target], env: fixture.env()}).accessToken()).rejects.toThrow(
			'--impersonate-service-account takes service account emails, and "runner" is not one.',
		);
	});

	it('warns when a service account impersonates itself', async () => {
		const source = createSource({source: 'impersonate', impersonate: [fixture.emulator.serviceAccountEmail], env: fixture.env()});
		expect((await source.describe()).warnings.join(' ')).toMatch(/impersonating itself/);
	});
});
