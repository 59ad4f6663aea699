import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {decodeJwt} from 'jose';
import {expect, it, type TestContext} from 'vitest';
import {describeInBox, type SealedBox} from '../support/sealed-box.js';

// The box proven faithful by clients that are not ours: the real gcloud CLI and Python's google-auth run in the same
// sealed box as tokscope, each as it runs on a Compute Engine VM (no overrides: gcloud and Python only trust the box's
// CA), and each side checks the other's tokens.

const gcloud = '/usr/bin/gcloud';
const python = '/usr/bin/python3';
const gcloudMissing = existsSync(gcloud) ? undefined : `the gcloud CLI is not installed at ${gcloud}`;
const pythonMissing =
	spawnSync(python, ['-c', 'import google.auth, requests']).status === 0
		? undefined
		: `Python's google-auth is not installed for ${python} (apt-get install python3-google-auth python3-requests)`;
for (const missing of [gcloudMissing, pythonMissing]) if (missing) console.warn(`SKIPPED in the sealed box: ${missing}.`);

/** Off CI a missing client skips its test with the reason; in CI it fails, since CI installs them (.ci/run). */
function skipUnless(missing: string | undefined, context: TestContext): void {
	if (!missing) return;
	if (process.env.CI === 'true') throw new Error(`CI needs this client in the sealed box, and ${missing}.`);
	context.skip(missing);
}

const audience = 'https://hello-abc123xyz-uc.a.run.app';

describeInBox('outside clients in the sealed box: gcloud and Python’s google-auth', box => {
	/** gcloud as a user runs it on a VM: a fresh configuration, trusting the box's CA, nothing else. */
	const gcloudInBox = async (args: string[]) => {
		const config = await mkdtemp(join(box.dir, 'gcloud-'));
		const env = {
			PATH: '/usr/bin:/bin',
			HOME: join(box.dir, 'home'),
			CLOUDSDK_CONFIG: config,
			CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE: box.caFile,
		};
		return {config, result: await box.exec([gcloud, ...args], {env, timeoutMs: 40_000})};
	};
	const pythonInBox = (args: string[], input?: string) =>
		box.exec([python, resolve('test/support/google-auth-client.py'), ...args], {
			env: {HOME: join(box.dir, 'home'), REQUESTS_CA_BUNDLE: box.caFile},
			input,
		});
	const tokenRequests = (box: SealedBox) =>
		box.emulator.requests.filter(request => /^\/computeMetadata\/v1\/instance\/service-accounts\/[^/]+\/token/.test(request.path)).length;

	it('gcloud finds Compute Engine and prints an access token from the box’s metadata server', async context => {
		skipUnless(gcloudMissing, context);
		const before = tokenRequests(box);
		const {config, result} = await gcloudInBox(['auth', 'print-access-token']);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
		expect(tokenRequests(box)).toBeGreaterThan(before);
		// gcloud's own verdict, cached in its configuration (googlecloudsdk/core/credentials/gce_cache.py, _WriteDisk).
		expect(await readFile(join(config, 'gce'), 'utf8')).toBe('True');
	}, 50_000);

	it('tokscope inspect verifies an ID token gcloud printed on the VM', async context => {
		skipUnless(gcloudMissing, context);
		const {result} = await gcloudInBox(['auth', 'print-identity-token', `--audiences=${audience}`]);
		expect(result).toMatchObject({code: 0, stderr: ''});
		const token = result.stdout.trim();
		expect(decodeJwt(token)).toMatchObject({aud: audience, iss: 'https://accounts.google.com'});
		const inspected = await box.cli(['inspect', token]);
		expect(inspected).toMatchObject({code: 0, stderr: ''});
		expect(inspected.stdout).toMatch(/signature\s+✓ valid — Signature verified with Google’s published keys/);
		expect(inspected.stdout).toMatch(/issuer\s+https:\/\/accounts\.google\.com \(Google\)/);
	}, 50_000);

	it('Python’s ADC chain finds Compute Engine credentials and gets an access token from the metadata server', async context => {
		skipUnless(pythonMissing, context);
		const result = await pythonInBox(['default']);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(JSON.parse(result.stdout)).toEqual({
			kind: 'google.auth.compute_engine.credentials.Credentials',
			email: box.emulator.serviceAccountEmail,
			project: box.emulator.projectId,
			token: expect.stringMatching(/^ya29\.[\w.-]+$/),
		});
	});

	it('Python’s id_token.verify_oauth2_token verifies an ID token tokscope printed, and refuses a tampered one', async context => {
		skipUnless(pythonMissing, context);
		const printed = await box.cli(['print-identity-token', '--audiences', audience]);
		expect(printed).toMatchObject({code: 0, stderr: ''});
		const token = printed.stdout.trim();
		const verified = await pythonInBox(['verify', audience], token);
		expect(verified).toMatchObject({code: 0, stderr: ''});
		expect(JSON.parse(verified.stdout)).toMatchObject({aud: audience, iss: 'https://accounts.google.com'});

		const [header, payload, signature] = token.split('.');
		const tampered = `${header}.${payload}.${signature!.slice(0, -4)}${signature!.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
		const refused = await pythonInBox(['verify', audience], tampered);
		expect(refused).toMatchObject({code: 1, stdout: expect.stringMatching(/^refused: Could not verify token signature/)});
	});
});
