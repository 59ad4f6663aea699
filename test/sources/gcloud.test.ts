import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {promisify} from 'node:util';
import {decodeJwt} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createSource} from '../../src/sources/index.js';
import {startFixture, type Fixture} from '../support/fixture.js';

// The real gcloud CLI, with a throwaway CLOUDSDK_CONFIG: the user's own gcloud setup is never read or changed.
const run = promisify(execFile);
const gcloudPath = (process.env.PATH ?? '')
	.split(delimiter)
	.map(dir => join(dir, 'gcloud'))
	.find(path => existsSync(path));
if (!gcloudPath) console.warn('SKIPPED: the gcloud CLI is not installed, so the gcloud source cannot be checked against it.');

describe.skipIf(!gcloudPath)('gcloud source: the real gcloud CLI', () => {
	let fixture: Fixture;
	let env: NodeJS.ProcessEnv;
	beforeAll(async () => {
		fixture = await startFixture();
		env = fixture.env({
			CLOUDSDK_CONFIG: join(fixture.dir, 'gcloud'),
			// No metadata server for gcloud to fall back on: only the account we activate counts.
			GCE_METADATA_ROOT: '127.0.0.1:1',
			GCE_METADATA_IP: '127.0.0.1:1',
			CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
			CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
			NO_PROXY: '127.0.0.1,localhost',
		});
	});
	afterAll(() => fixture.close());

	it('says gcloud has no active account, then mints both kinds once a key is activated', async () => {
		const source = createSource({source: 'gcloud', env});
		const none = await source.accessToken().catch((error: {message: string; hint?: string}) => error);
		expect(none).toMatchObject({message: 'gcloud has no active account.'});
		expect((none as {hint?: string}).hint).toContain('gcloud auth login');

		await run(gcloudPath!, ['auth', 'activate-service-account', `--key-file=${fixture.files.serviceAccountKey}`], {env, timeout: 30_000});
		const access = await source.accessToken();
		expect(access.token).toMatch(/^ya29\./);
		expect(fixture.emulator.requests.some(request => request.method === 'POST' && request.path === '/token')).toBe(true);
		const id = await source.idToken({audience: 'https://hello-abc123.a.run.app'});
		expect(decodeJwt(id.token)).toMatchObject({aud: 'https://hello-abc123.a.run.app', iss: fixture.emulator.url});
		expect(id.expiresAt!.getTime()).toBeGreaterThan(Date.now());
		expect((await source.describe()).principal).toBe(fixture.emulator.serviceAccountEmail);
	}, 60_000);

	it('says so in a sentence when gcloud is not installed', async () => {
		await expect(createSource({source: 'gcloud', env: {...env, PATH: join(fixture.dir, 'empty-bin')}}).accessToken()).rejects.toThrow(
			'The gcloud CLI is not installed (no gcloud on PATH).',
		);
	});
});
