import {copyFile, mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {decodeJwt} from 'jose';
import {describe, expect, it} from 'vitest';
import {createSource} from '../../src/sources/index.js';
import {useFixture} from '../support/fixture.js';

const fixture = useFixture();

const audience = 'https://hello-abc123.a.run.app/?q=1&x=2';

describe('Application Default Credentials', () => {
	it('uses $GOOGLE_APPLICATION_CREDENTIALS first and says so', async () => {
		const info = await createSource({
			source: 'adc',
			env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey}),
		}).describe();
		expect(info.origin).toBe(`service_account file from $GOOGLE_APPLICATION_CREDENTIALS (${fixture.files.serviceAccountKey})`);
		expect(info.details).toEqual([]);
	});

	it('falls to gcloud’s well-known file under CLOUDSDK_CONFIG and explains the skipped link', async () => {
		const config = join(fixture.dir, 'gcloud-config');
		await mkdir(config, {recursive: true});
		await copyFile(fixture.files.authorizedUser, join(config, 'application_default_credentials.json'));
		const source = createSource({source: 'adc', env: fixture.env({CLOUDSDK_CONFIG: config})});
		const info = await source.describe();
		expect(info.origin).toContain("authorized_user file from gcloud's well-known location");
		expect(info.details).toEqual(['Skipped: GOOGLE_APPLICATION_CREDENTIALS is not set.']);
		expect(info.idTokens).toMatch(/can only mint ID tokens whose audience is its own OAuth client/);
		expect(info.principal).toBeUndefined();
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
		// The file names no account; the ID token in the refresh answer does.
		expect((await source.describe()).principal).toBe(fixture.emulator.userEmail);
		await expect(source.idToken({audience})).rejects.toThrow(/user credential can only mint ID tokens/);
		// Its own OAuth client is the one audience Google allows, as gcloud auth print-identity-token does for users.
		const {readFile} = await import('node:fs/promises');
		const clientId = String((JSON.parse(await readFile(fixture.files.authorizedUser, 'utf8')) as {client_id: string}).client_id);
		expect(decodeJwt((await source.idToken({audience: clientId})).token)).toMatchObject({aud: clientId, email: fixture.emulator.userEmail});
	});

	it('ends at the metadata server and lists why each earlier link was skipped', async () => {
		const info = await createSource({source: 'adc', env: fixture.env()}).describe();
		expect(info.origin).toBe(`the metadata server at ${fixture.emulator.host}`);
		expect(info.details).toEqual([
			'Skipped: GOOGLE_APPLICATION_CREDENTIALS is not set.',
			`Skipped: there is no gcloud ADC file at ` +
				`${join(fixture.dir, 'gcloud-empty', 'application_default_credentials.json')} (from CLOUDSDK_CONFIG).`,
		]);
	});

	it('stops at a broken $GOOGLE_APPLICATION_CREDENTIALS, naming the file and why it does not look further', async () => {
		const missing = join(fixture.dir, 'deleted-key.json');
		await expect(createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: missing})}).describe()).rejects.toThrow(
			`The credential file ${missing} does not exist (it is named by $GOOGLE_APPLICATION_CREDENTIALS, and ADC ` +
				`stops there rather than trying gcloud's file or the metadata server).`,
		);
	});

	it('warns, before any request, about a user credential whose token_uri is not Google', async () => {
		const {readFile} = await import('node:fs/promises');
		const json = JSON.parse(await readFile(fixture.files.authorizedUser, 'utf8')) as Record<string, unknown>;
		const foreign = join(fixture.dir, 'foreign-user.json');
		await writeFile(foreign, JSON.stringify({...json, token_uri: 'https://oauth.attacker.example/token'}));
		const before = fixture.emulator.requests.length;
		const info = await createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: foreign})}).describe();
		expect(info.warnings).toEqual([
			`token_uri in ${foreign} points to oauth.attacker.example, which is not Google: the credential will be sent there.`,
		]);
		expect(fixture.emulator.requests.length).toBe(before);
	});

	it('tells a user whose refresh token was revoked how to renew it', async () => {
		fixture.emulator.setFault('/token', {
			status: 400,
			body: {error: 'invalid_grant', error_description: 'Token has been expired or revoked.'},
		});
		const error = await createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser})})
			.accessToken()
			.then(
				() => ({message: 'no error', hint: undefined as string | undefined}),
				(caught: unknown) => caught as {message: string; hint?: string},
			);
		expect(error.message).toBe('The refresh token was revoked or has expired (invalid_grant).');
		expect(error.hint).toContain('gcloud auth application-default login');
	});

	it('follows an impersonated_service_account file through its own URLs', async () => {
		const source = createSource({source: 'adc', env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.impersonated})});
		expect((await source.describe()).principal).toBe('tokscope-target@tokscope-demo.iam.gserviceaccount.com');
		expect(decodeJwt((await source.idToken({audience, includeEmail: true})).token).email).toBe(
			'tokscope-target@tokscope-demo.iam.gserviceaccount.com',
		);
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
	});
});
