import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {importPKCS8, SignJWT} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readAnswer} from '../../src/core/answer.js';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';
import {loadCorpus, type RealAnswer} from '../support/real-world-corpus.js';
import {call, foreignIdToken, metadataAccessToken, metadataIdToken} from './services/tokens.js';

// The emulator's stand-ins answer as Google's products really did (test/fixtures/real-world/): where a fixture quotes a
// whole body, the emulator's is that body; where it quotes a sentence, the emulator's answer reads the same (the same
// signals and named values, as doctor and the minting sentences read them).

const corpus = new Map(loadCorpus().map(({name, answer}) => [name, answer]));
const fixture = (name: string): RealAnswer => corpus.get(name)!;
const jsonOf = (name: string) => JSON.parse(fixture(name).response.body) as unknown;
const readsAs = (name: string) => {
	const {signals, named} = readAnswer({status: 0, headers: {}, body: fixture(name).response.body});
	return {signals, named};
};
const read = async (response: Response) => {
	const {signals, named} = readAnswer({status: 0, headers: {}, body: await response.text()});
	return {signals, named};
};

let emulator: Emulator;
let dir: string;
beforeAll(async () => {
	emulator = await startEmulator();
	dir = await mkdtemp(join(tmpdir(), 'tokscope-shapes-'));
});
afterAll(async () => {
	await emulator.close();
	await rm(dir, {recursive: true, force: true});
});

describe('the services', () => {
	it('Cloud Functions refuses a path that names no function with 403, as a caller without the role', async () => {
		const {cloudFunction} = emulator.services;
		const response = await call(`${cloudFunction.origin}/about`, await metadataIdToken(emulator, cloudFunction.url));
		expect(response.status).toBe(fixture('cloud-functions/path-without-function-name').response.status);
		expect(await read(response)).toEqual(readsAs('cloud-functions/path-without-function-name'));
	});

	it('Cloud Run answers a token of another issuer with its own sentence', async () => {
		const {cloudRun} = emulator.services;
		const response = await call(cloudRun.url, await foreignIdToken(emulator, cloudRun.url, 'https://securetoken.google.com/tokscope-demo'));
		const real = fixture('api-gateway/espv2-on-cloud-run-without-allow-unauthenticated').response;
		expect(response.status).toBe(real.status);
		expect(response.headers.get('content-type')).toBe(real.headers!['content-type']);
		expect(await response.text()).toBe(real.body);
	});

	it('a Google API refuses a quota project the caller may not use', async () => {
		const {googleApi} = emulator.services;
		const token = await metadataAccessToken(emulator);
		const response = await call(googleApi.url, token, {headers: {'x-goog-user-project': 'xxx-yyy'}});
		expect(response.status).toBe(403);
		const reads = await read(response);
		expect(reads.signals).toEqual(expect.arrayContaining(readsAs('google-api/billing-project-not-permitted').signals));
		expect(reads.named.project).toBe('xxx-yyy');
		expect((await call(googleApi.url, token, {headers: {'x-goog-user-project': emulator.projectId}})).status).toBe(200);
	});
});

describe('the token endpoint', () => {
	/** An assertion signed with the emulator's own key, as a key file's client signs it. */
	async function assertion(claims: Record<string, unknown>): Promise<Response> {
		const files = await emulator.writeCredentialFiles(dir);
		const key = JSON.parse(await readFile(files.serviceAccountKey, 'utf8')) as {private_key: string; private_key_id: string};
		const now = Math.floor(Date.now() / 1000);
		const jwt = await new SignJWT({aud: `${emulator.url}/token`, iat: now, exp: now + 3600, ...claims})
			.setProtectedHeader({alg: 'RS256', kid: key.private_key_id})
			.sign(await importPKCS8(key.private_key, 'RS256'));
		return fetch(`${emulator.url}/token`, {
			method: 'POST',
			body: new URLSearchParams({grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt}),
		});
	}
	const scope = 'https://www.googleapis.com/auth/cloud-platform';

	it('a key whose account is gone: invalid_grant, account not found', async () => {
		const response = await assertion({iss: 'gone@tokscope-demo.iam.gserviceaccount.com', scope});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual(jsonOf('token-endpoint/service-account-deleted-or-disabled'));
	});

	it('acting as a Workspace user no admin authorised (domain-wide delegation): 401 unauthorized_client', async () => {
		const response = await assertion({iss: emulator.serviceAccountEmail, sub: 'admin@example.com', scope});
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual(jsonOf('token-endpoint/dwd-client-not-authorised'));
	});

	it('a signed request outside a reasonable timeframe: today’s words', async () => {
		const now = Math.floor(Date.now() / 1000);
		// Milliseconds where seconds belong, as the thread's library sent them.
		const response = await assertion({iss: emulator.serviceAccountEmail, scope, iat: now * 1000, exp: (now + 3600) * 1000});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual(jsonOf('token-endpoint/jwt-times-in-milliseconds'));
	});
});

describe('IAM Credentials and STS', () => {
	async function generateAccessToken(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
		const caller = await metadataAccessToken(emulator);
		return fetch(`${emulator.url}/v1/projects/-/serviceAccounts/target@tokscope-demo.iam.gserviceaccount.com:generateAccessToken`, {
			method: 'POST',
			headers: {'Content-Type': 'application/json', Authorization: `Bearer ${caller}`, ...headers},
			body: JSON.stringify(body),
		});
	}

	it('no scope, or a URL for one: 400 "Request contains an invalid argument."', async () => {
		for (const [body, name] of [
			[{}, 'iam-credentials/impersonation-without-scopes'],
			[{scope: ['https://hello-abc123-ew.a.run.app'], lifetime: '30s'}, 'iam-credentials/scope-is-a-cloud-run-url'],
		] as const) {
			const response = await generateAccessToken(body);
			expect(response.status).toBe(400);
			expect(await response.json()).toEqual(jsonOf(name));
		}
	});

	it('a lifetime past the hour, and a quota project the caller may not use, in Google’s words', async () => {
		const long = await generateAccessToken({scope: ['https://www.googleapis.com/auth/cloud-platform'], lifetime: '7200s'});
		expect(long.status).toBe(400);
		// The thread quotes the sentence alone; the whole answer also says INVALID_ARGUMENT.
		expect((await read(long)).signals).toEqual(expect.arrayContaining(readsAs('iam-credentials/lifetime-over-an-hour').signals));
		const billed = await generateAccessToken(
			{scope: ['https://www.googleapis.com/auth/cloud-platform']},
			{'x-goog-user-project': 'xxx-yyy'},
		);
		expect(billed.status).toBe(403);
		const reads = await read(billed);
		expect(reads.signals).toEqual(expect.arrayContaining(readsAs('iam-credentials/quota-project-not-permitted').signals));
		expect(reads.named.project).toBe('xxx-yyy');
	});

	it('STS: a pool or an unexpanded template as the audience, and a provider named by project ID', async () => {
		for (const name of ['sts/audience-is-a-pool', 'sts/provider-expression-not-interpolated', 'sts/provider-named-by-project-id']) {
			const response = await fetch(`${emulator.url}/v1/token`, {
				method: 'POST',
				body: new URLSearchParams({
					grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
					audience: fixture(name).request.audience!,
					subject_token: 'a-subject-token',
					subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
				}),
			});
			expect(response.status, name).toBe(400);
			expect(await response.json(), name).toEqual(jsonOf(name));
		}
	});
});

describe('the metadata server', () => {
	it('a token for an account not attached to this VM: 500 and the URI', async () => {
		const path =
			'/computeMetadata/v1/instance/service-accounts/firebase-adminsdk-XXXXX@XXXXX.iam.gserviceaccount.com/token' +
			'?scopes=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcloud-platform';
		const response = await fetch(`${emulator.url}${path}`, {headers: {'Metadata-Flavor': 'Google'}});
		expect(response.status).toBe(fixture('metadata/account-not-attached-to-vm').response.status);
		expect(await response.text()).toBe(`Could not fetch URI ${path}\n`);
	});
});
