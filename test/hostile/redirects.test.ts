import {readFile, writeFile} from 'node:fs/promises';
import {createServer as createTcpServer, type AddressInfo} from 'node:net';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runCli, type CliResult} from '../support/cli.js';
import {useFixture} from '../support/fixture.js';
import {hostileServer, metadataProbe, recordingServer, type HostileServer} from './servers.js';

// No credential request follows a redirect. Each endpoint that is sent a credential (the token endpoint gets a signed
// assertion, or a refresh token with the client's secret; IAM Credentials and STS a bearer or subject token; a
// credential_source.url and the metadata server are asked for one) answers a redirect to a second loopback server that
// records what reaches it: nothing may, the built CLI says so in one sentence and exits 1, and no token is printed.

const fixture = useFixture();
const closing: Array<{close(): Promise<void>}> = [];
afterEach(async () => {
	for (const server of closing.splice(0)) await server.close();
});

async function redirecting(to: string, status: number): Promise<HostileServer> {
	const server = await hostileServer({kind: 'redirect', to, status}, metadataProbe);
	closing.push(server);
	return server;
}

async function recorder() {
	const server = await recordingServer();
	closing.push(server);
	return server;
}

/** One of the emulator's credential files, changed by `patch`, written beside it. */
async function credentialFile(name: keyof typeof fixture.files, patch: Record<string, unknown>): Promise<string> {
	const json = JSON.parse(await readFile(fixture.files[name], 'utf8')) as Record<string, unknown>;
	const path = join(fixture.dir, `${name}-${Math.random().toString(36).slice(2)}.json`);
	await writeFile(path, JSON.stringify({...json, ...patch}));
	return path;
}

const target = 'tokscope-target@tokscope-demo.iam.gserviceaccount.com';

interface Endpoint {
	/** How the sentence names it, given the redirecting server's URL. */
	named(url: string): string;
	run(url: string): Promise<CliResult>;
}

const endpoints: Record<string, Endpoint> = {
	'the OAuth token endpoint, sent a signed assertion': {
		named: url => `The OAuth token endpoint (${url}/token)`,
		run: async url =>
			runCli(['print-access-token', '--key-file', await credentialFile('serviceAccountKey', {token_uri: `${url}/token`})], {
				env: fixture.env(),
			}),
	},
	'the OAuth token endpoint, sent a signed assertion for an ID token': {
		named: url => `The OAuth token endpoint (${url}/token)`,
		run: async url => {
			const key = await credentialFile('serviceAccountKey', {token_uri: `${url}/token`});
			return runCli(['print-identity-token', '--key-file', key, '--audiences', 'https://a.example'], {env: fixture.env()});
		},
	},
	'the OAuth token endpoint, sent a refresh token and the client secret': {
		named: url => `The OAuth token endpoint (${url}/token)`,
		run: async url => {
			const user = await credentialFile('authorizedUser', {token_uri: `${url}/token`});
			return runCli(['print-access-token', '--source', 'adc'], {env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: user})});
		},
	},
	'IAM Credentials, sent the caller’s access token': {
		named: url => `IAM Credentials (${url}/v1/projects/-/serviceAccounts/${target}:generateAccessToken)`,
		run: async url =>
			runCli(['print-access-token', '--impersonate-service-account', target], {
				env: fixture.env({
					GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey,
					CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS: `${url}/`,
				}),
			}),
	},
	'the Security Token Service, sent the subject token': {
		named: url => `The Security Token Service (${url}/sts)`,
		run: async url => {
			const config = await credentialFile('externalAccount', {token_url: `${url}/sts`});
			return runCli(['print-access-token', '--source', 'external', '--key-file', config], {env: fixture.env()});
		},
	},
	'a credential_source.url, asked for the subject token': {
		named: url => `The subject token URL ${url}/subject (credential_source.url)`,
		run: async url => {
			const config = await credentialFile('externalAccount', {credential_source: {url: `${url}/subject`}});
			return runCli(['print-access-token', '--source', 'external', '--key-file', config], {env: fixture.env()});
		},
	},
	'the metadata server, asked for a token': {
		named: url => `The metadata server (${url}/computeMetadata/v1/instance/service-accounts/default/token)`,
		run: async url => runCli(['print-access-token', '--source', 'metadata'], {env: fixture.env({GCE_METADATA_HOST: url.slice(7)})}),
	},
};

const refusal = (named: string, status: number, to: string) =>
	`tokscope: ${named} answered with a redirect (HTTP ${status}) to ${to}: a credential request never follows a redirect, ` +
	'so nothing was sent there.\n';

describe('a 307 from every endpoint that is sent or sends a credential', () => {
	it.each(Object.keys(endpoints))('%s: nothing reaches where it points, one sentence, exit 1', async name => {
		const endpoint = endpoints[name]!;
		const elsewhere = await recorder();
		const server = await redirecting(`${elsewhere.url}/stolen`, 307);
		const result = await endpoint.run(server.url);
		expect(elsewhere.received).toEqual([]);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(refusal(endpoint.named(server.url), 307, `${elsewhere.url}/stolen`));
		expect(result.code).toBe(1);
	});
});

describe('every redirect status from the token endpoint, and where a redirect may point', () => {
	const tokenEndpoint = endpoints['the OAuth token endpoint, sent a refresh token and the client secret']!;

	it.each([301, 302, 303, 308])('HTTP %s is refused as 307 is', async status => {
		const elsewhere = await recorder();
		const server = await redirecting(`${elsewhere.url}/stolen`, status);
		const result = await tokenEndpoint.run(server.url);
		expect(elsewhere.received).toEqual([]);
		expect(result).toMatchObject({
			code: 1,
			stdout: '',
			stderr: refusal(tokenEndpoint.named(server.url), status, `${elsewhere.url}/stolen`),
		});
	});

	it('to the metadata address, an IPv4-mapped address or a path of its own: never dialled, said as a redirect', async () => {
		const elsewhere = await recorder();
		const mapped = `http://[::ffff:7f00:1]:${new URL(elsewhere.url).port}/stolen`;
		for (const [to, shown] of [
			['http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token', undefined],
			[mapped, undefined],
			['/token?again=1', 'SELF/token?again=1'],
		] as const) {
			const server = await redirecting(to, 307);
			const result = await tokenEndpoint.run(server.url);
			expect(result).toMatchObject({
				code: 1,
				stdout: '',
				stderr: refusal(tokenEndpoint.named(server.url), 307, shown?.replace('SELF', server.url) ?? to),
			});
			expect(server.requests.filter(request => request.includes('again'))).toEqual([]);
		}
		expect(elsewhere.received).toEqual([]);
	});

	it('a Location holding C1 controls, bidi overrides and 500 more bytes is shown made visible and cut short', async () => {
		// Raw bytes, as node's own server would refuse to send them: \xc2\x9b is CSI in UTF-8, \xe2\x80\xae is U+202E.
		const location = Buffer.concat([Buffer.from('http://127.0.0.1:9/'), Buffer.from([0xc2, 0x9b, 0x33, 0x31, 0x6d, 0xe2, 0x80, 0xae])]);
		const head = Buffer.concat([
			Buffer.from('HTTP/1.1 307 Temporary Redirect\r\nLocation: '),
			location,
			Buffer.from(`${'a'.repeat(500)}\r\n`),
		]);
		const server = createTcpServer(socket =>
			socket.once('data', () => socket.end(Buffer.concat([head, Buffer.from('Content-Length: 0\r\nConnection: close\r\n\r\n')]))),
		);
		await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
		closing.push({close: () => new Promise(done => server.close(() => done()))});
		const result = await tokenEndpoint.run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toMatch(
			/^tokscope: The OAuth token endpoint \(.*\) answered with a redirect \(HTTP 307\) to http:\/\/127\.0\.0\.1:9\/.*…: /,
		);
		// Every control character but the newline ending each line, and the bidi override.
		expect(result.stderr.replaceAll('\n', '')).not.toMatch(/[\p{Cc}\u202E]/u);
		expect(result.stderr.split('\n')).toHaveLength(2);
		expect(result.stderr.length).toBeLessThan(500);
	});
});
