import {execFileSync} from 'node:child_process';
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runCli, type CliResult} from '../support/cli.js';
import {useFixture} from '../support/fixture.js';
import {hostileServer, type HostileServer} from './servers.js';

// What google-auth-library reads a token from, answered with what is no token answer: an HTML page, an empty body, a
// bare JSON string, bytes, a token no header can carry. Each is one sentence from the built CLI naming the endpoint
// that misbehaved (not the next one in the chain) and what it sent, never JavaScript's words or a stack trace.

const fixture = useFixture();
const servers: HostileServer[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) await server.close();
});

async function answering(body: string, type: string): Promise<HostileServer> {
	const server = await hostileServer({kind: 'garbage', body, type, status: 200});
	servers.push(server);
	return server;
}

async function credentialFile(name: keyof typeof fixture.files, patch: Record<string, unknown>, drop: string[] = []): Promise<string> {
	const json = JSON.parse(await readFile(fixture.files[name], 'utf8')) as Record<string, unknown>;
	for (const key of drop) delete json[key];
	const path = join(fixture.dir, `${name}-${Math.random().toString(36).slice(2)}.json`);
	await writeFile(path, JSON.stringify({...json, ...patch}));
	return path;
}

const target = 'tokscope-target@tokscope-demo.iam.gserviceaccount.com';
const viaIam = (url: string) =>
	fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey, CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS: `${url}/`});

const endpoints: Record<string, {named(url: string): string; run(url: string): Promise<CliResult>}> = {
	'the token endpoint (a key’s access token)': {
		named: url => `The OAuth token endpoint (${url}/token)`,
		run: async url => runCli(['print-access-token', '--key-file', await credentialFile('serviceAccountKey', {token_uri: `${url}/token`})]),
	},
	'the token endpoint (a key’s ID token)': {
		named: url => `The OAuth token endpoint (${url}/token)`,
		run: async url => {
			const key = await credentialFile('serviceAccountKey', {token_uri: `${url}/token`});
			return runCli(['print-identity-token', '--key-file', key, '--audiences', 'https://a.example']);
		},
	},
	'the token endpoint (a refresh token)': {
		named: url => `The OAuth token endpoint (${url}/token)`,
		run: async url => {
			const user = await credentialFile('authorizedUser', {token_uri: `${url}/token`});
			return runCli(['print-access-token', '--source', 'adc'], {env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: user})});
		},
	},
	'IAM Credentials (an access token)': {
		named: url => `IAM Credentials (${url}/v1/projects/-/serviceAccounts/${target}:generateAccessToken)`,
		run: async url => runCli(['print-access-token', '--impersonate-service-account', target], {env: viaIam(url)}),
	},
	'IAM Credentials (an ID token)': {
		named: url => `IAM Credentials (${url}/v1/projects/-/serviceAccounts/${target}:generateIdToken)`,
		run: async url =>
			runCli(['print-identity-token', '--impersonate-service-account', target, '--audiences', 'https://a.example'], {env: viaIam(url)}),
	},
	'the Security Token Service': {
		named: url => `The Security Token Service (${url}/sts)`,
		run: async url => {
			const config = await credentialFile('externalAccount', {token_url: `${url}/sts`}, ['service_account_impersonation_url']);
			return runCli(['print-access-token', '--source', 'external', '--key-file', config], {env: fixture.env()});
		},
	},
	'the Security Token Service, under impersonation': {
		named: url => `The Security Token Service (${url}/sts)`,
		run: async url => {
			const config = await credentialFile('externalAccount', {token_url: `${url}/sts`});
			return runCli(['print-access-token', '--source', 'external', '--key-file', config], {env: fixture.env()});
		},
	},
};

const answers: Record<string, {body: string; type: string; sent: string}> = {
	'an HTML page': {
		body: '<!DOCTYPE html><html><body>Sign in to continue</body></html>',
		type: 'text/html',
		sent: '“<!DOCTYPE html><html><body>Sign in to continue</body></html>”',
	},
	'an empty body': {body: '', type: 'application/json', sent: 'an empty body'},
	'a bare JSON string': {body: '"signed in"', type: 'application/json', sent: '“signed in”'},
	'bytes with escapes': {body: 'garbage\u001b[2J\u0007', type: 'application/octet-stream', sent: '“garbage\\u001b[2J\\u0007”'},
};

const javascript = /TypeError|Cannot (create|read|convert)|ByteString|undefined|\bat \S+ \(|node_modules|\.js:\d+/;

describe.each(Object.entries(answers))('%s with HTTP 200', (_, answer) => {
	it.each(Object.keys(endpoints))('from %s: one sentence naming it and what it sent', async name => {
		const endpoint = endpoints[name]!;
		const server = await answering(answer.body, answer.type);
		const result = await endpoint.run(server.url);
		expect(result.stderr).toBe(
			`tokscope: ${endpoint.named(server.url)} answered HTTP 200 with ${answer.sent}, not the JSON object a token answer is.\n`,
		);
		expect(result).toMatchObject({code: 1, stdout: ''});
	});
});

describe('a token no HTTP header can carry, handed on to the next endpoint', () => {
	const snowman = JSON.stringify({access_token: 'ya29.\u2603\u202e', expires_in: 3599, token_type: 'Bearer'});

	it('from the caller’s token endpoint, under impersonation: said of that endpoint, not of IAM', async () => {
		const server = await answering(snowman, 'application/json');
		const key = await credentialFile('serviceAccountKey', {token_uri: `${server.url}/token`});
		const result = await runCli(['print-access-token', '--impersonate-service-account', target], {
			env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: key}),
		});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toMatch(/^tokscope: The OAuth token endpoint answered with something that is not an access token: [^\n]*\.\n$/);
		expect(result.stderr).not.toMatch(javascript);
		expect(fixture.emulator.requests.filter(request => request.path.includes(':generateAccessToken'))).toEqual([]);
	});

	it('from STS, under impersonation: said of STS', async () => {
		const server = await answering(snowman, 'application/json');
		const config = await credentialFile('externalAccount', {token_url: `${server.url}/sts`});
		const result = await runCli(['print-access-token', '--source', 'external', '--key-file', config], {env: fixture.env()});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toMatch(/^tokscope: The Security Token Service answered with something that is not an access token: [^\n]*\.\n$/);
		expect(result.stderr).not.toMatch(javascript);
	});
});

describe('credential_source.file that is not a regular file', () => {
	it('a FIFO is named as one and never opened (the library would wait on it for ever)', async () => {
		const fifo = join(fixture.dir, 'subject.fifo');
		execFileSync('mkfifo', [fifo]);
		const config = await credentialFile('externalAccount', {credential_source: {file: fifo}});
		const result = await runCli(['print-access-token', '--source', 'external', '--key-file', config], {env: fixture.env()});
		expect(result).toEqual(
			expect.objectContaining({
				code: 1,
				stdout: '',
				stderr:
					`tokscope: The subject token file ${fifo} (credential_source.file) is not a regular file (it is a named pipe ` +
					'(FIFO)), so it was not read.\n',
			}),
		);
	});

	it('a missing one is said to be missing, once', async () => {
		const missing = join(fixture.dir, 'no-such-subject-token');
		const config = await credentialFile('externalAccount', {credential_source: {file: missing}});
		const result = await runCli(['print-access-token', '--source', 'external', '--key-file', config], {env: fixture.env()});
		expect(result).toMatchObject({
			code: 1,
			stderr: `tokscope: The subject token file ${missing} (credential_source.file) does not exist.\n`,
		});
	});
});

describe('a header value beyond Latin-1', () => {
	it('in a credential_source.url’s headers: said of that URL and the header, never “Cannot convert argument to a ByteString”', async () => {
		const server = await answering('subject', 'text/plain');
		const config = await credentialFile('externalAccount', {
			credential_source: {url: `${server.url}/subject`, headers: {'X-Flavor': 'Gr\u00fc\u00dfe \u2603'}},
		});
		const result = await runCli(['print-access-token', '--source', 'external', '--key-file', config], {env: fixture.env()});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toBe(
			`tokscope: The subject token URL ${server.url}/subject (credential_source.url) could not be asked: a header value ` +
				'holds characters no HTTP header can carry (beyond Latin-1).\n',
		);
		expect(server.requests).toEqual([]);
	});
});
