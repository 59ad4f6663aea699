import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {promisify} from 'node:util';
import {decodeJwt} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type CredentialFiles, type Emulator} from '../../src/emulator/index.js';

const run = promisify(execFile);
const gcloud = (process.env.PATH ?? '')
	.split(delimiter)
	.map(dir => join(dir, 'gcloud'))
	.find(path => existsSync(path));
if (!gcloud) console.warn('SKIPPED: the gcloud CLI is not installed, so the emulator cannot be checked against it.');

describe.skipIf(!gcloud)('the real gcloud CLI accepts the emulator', () => {
	let emulator: Emulator;
	let config: string;
	let files: CredentialFiles;
	const env = () => ({
		PATH: process.env.PATH,
		HOME: config,
		CLOUDSDK_CONFIG: config,
		GCE_METADATA_ROOT: emulator.host,
		GCE_METADATA_IP: emulator.host,
		CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
		CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
		CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: '1',
		NO_PROXY: '127.0.0.1,localhost',
	});
	const gcloudRun = async (...args: string[]) => (await run(gcloud!, args, {env: env(), timeout: 30_000})).stdout.trim();

	beforeAll(async () => {
		emulator = await startEmulator();
		config = await mkdtemp(join(tmpdir(), 'tokscope-gcloud-'));
		files = await emulator.writeCredentialFiles(join(config, 'emulator'));
	});
	afterAll(async () => {
		await emulator.close();
		await rm(config, {recursive: true, force: true});
	});

	it('prints access and identity tokens from the emulated metadata server', async () => {
		const accessToken = await gcloudRun('auth', 'print-access-token');
		expect(accessToken).toMatch(/^ya29\./);
		const idToken = await gcloudRun('auth', 'print-identity-token', '--audiences=https://hello.run.app');
		expect(decodeJwt(idToken)).toMatchObject({aud: 'https://hello.run.app', iss: emulator.url});
	}, 60_000);

	it('activates the emulator’s service-account key and refreshes through its token_uri', async () => {
		await gcloudRun('auth', 'activate-service-account', `--key-file=${files.serviceAccountKey}`);
		const accessToken = await gcloudRun('auth', 'print-access-token');
		expect(accessToken).toMatch(/^ya29\./);
		expect(emulator.requests.some(request => request.method === 'POST' && request.path === '/token')).toBe(true);
		const info = (await (await fetch(`${emulator.url}/tokeninfo?access_token=${accessToken}`)).json()) as {email: string};
		expect(info.email).toBe(emulator.serviceAccountEmail);
	}, 60_000);
});
