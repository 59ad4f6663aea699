import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startWire, type RecordingWire} from '../../src/app/wire.js';
import {impersonationTarget} from '../../src/emulator/credential-paths.js';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';
import {createSource} from '../../src/sources/index.js';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({services: false});
});
afterAll(async () => {
	await emulator.close();
});

// Each test's recording and credential files (a private key among them) go when it ends, passed or failed.
let wire: RecordingWire | undefined;
let dir: string | undefined;
afterEach(async () => {
	emulator.setTokenLifetime(3600);
	wire?.stop();
	if (dir) await rm(dir, {recursive: true, force: true});
	wire = dir = undefined;
});

describe('the wire', () => {
	it('records how a service-account key became an access token, with every secret redacted', async () => {
		dir = await mkdtemp(join(tmpdir(), 'tokscope-wire-'));
		const files = await emulator.writeCredentialFiles(dir);
		const recording = (wire = startWire());
		const from = new Date();
		const source = createSource({source: 'key-file', keyFile: files.serviceAccountKey, env: {NO_PROXY: '127.0.0.1'}});
		const raw = await source.accessToken();
		const exchanges = recording.between(from, new Date());
		const exchange = exchanges.find(each => each.url.endsWith('/token'));
		expect(exchange).toMatchObject({method: 'POST', status: 200});
		expect(exchange!.requestBody).toContain('grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer');
		expect(exchange!.requestBody).toContain('assertion=[redacted]');
		expect(exchange!.responseBody).toContain('"access_token":"[redacted]"');
		expect(JSON.stringify(exchanges)).not.toContain(raw.token);
		expect(exchange!.latencyMs).toBeGreaterThanOrEqual(0);
	});

	it('records the metadata server’s answers, and nothing once stopped', async () => {
		const recording = (wire = startWire());
		const env = {GCE_METADATA_HOST: emulator.host, NO_PROXY: '127.0.0.1'};
		const from = new Date();
		const raw = await createSource({source: 'metadata', env}).idToken({audience: 'https://wire.run.app'});
		const exchanges = recording.between(from, new Date());
		const identity = exchanges.find(each => each.url.includes('/identity'));
		expect(identity).toMatchObject({method: 'GET', status: 200, responseBody: '[redacted]'});
		expect(identity!.requestHeaders).toContain('metadata-flavor: Google');
		expect(JSON.stringify(exchanges)).not.toContain(raw.token);
		recording.stop();
		const all = () => recording.between(new Date(0), new Date(Date.now() + 1000));
		const recorded = all().length;
		await createSource({source: 'metadata', env}).idToken({audience: 'https://wire.run.app'});
		expect(all()).toHaveLength(recorded);
	});

	// Tokens living less than the library's 5-minute eager refresh (the demo's 60 s) were fetched twice per mint.
	it.each([
		['impersonation', 'jwt-bearer', '/token'],
		['federation', 'token-exchange', '/v1/token'],
	])('%s with 60 s tokens: one %s exchange on the wire, as the emulator saw it', async (_name, grant, path) => {
		emulator.setTokenLifetime(60);
		dir = await mkdtemp(join(tmpdir(), 'tokscope-wire-'));
		const files = await emulator.writeCredentialFiles(dir);
		const env = {
			NO_PROXY: '127.0.0.1',
			GOOGLE_APPLICATION_CREDENTIALS: files.serviceAccountKey,
			CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS: `${emulator.url}/`,
		};
		const source =
			grant === 'jwt-bearer'
				? createSource({source: 'impersonate', impersonate: [impersonationTarget({projectId: 'tokscope-emulator'})], env})
				: createSource({source: 'external', keyFile: files.externalAccount, env});
		const recording = (wire = startWire());
		const from = new Date();
		const seen = emulator.requests.length;
		await source.accessToken();
		const exchanges = recording.between(from, new Date());
		expect(exchanges.filter(each => each.requestBody?.includes(`grant-type%3A${grant}`))).toHaveLength(1);
		expect(exchanges.filter(each => each.url.endsWith(':generateAccessToken'))).toHaveLength(1);
		expect(emulator.requests.slice(seen).filter(request => request.path === path)).toHaveLength(1);
	});
});
