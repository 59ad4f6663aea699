import {readFile, writeFile} from 'node:fs/promises';
import {createServer, type IncomingHttpHeaders} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runCli} from '../support/cli.js';
import {useFixture} from '../support/fixture.js';

// Servers that echo back the secret they were sent, in a shape no pattern knows (its halves swapped, inside a URL,
// percent-encoded): the built CLI redacts every secret the process holds by its value, wherever text leaves it.

const fixture = useFixture();
const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
	for (const close of closing.splice(0)) await close();
});

interface Sent {
	headers: IncomingHttpHeaders;
	form: URLSearchParams;
}

/** A server that answers each request with what `answer` makes of it; what it was sent is kept for the test. */
async function echoing(answer: (sent: Sent) => {status: number; body: unknown}): Promise<{url: string; sent: Sent[]}> {
	const sent: Sent[] = [];
	const server = createServer((request, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
		request.on('end', () => {
			const received = {headers: request.headers, form: new URLSearchParams(body)};
			sent.push(received);
			const {status, body: reply} = answer(received);
			response.writeHead(status, {'content-type': typeof reply === 'string' ? 'text/plain' : 'application/json'});
			response.end(typeof reply === 'string' ? reply : JSON.stringify(reply));
		});
	});
	await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
	closing.push(() => new Promise(done => server.close(() => done())));
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent};
}

/** The secret as no pattern knows it: its halves swapped, then percent-encoded inside a URL. */
function disguised(secret: string): string {
	const half = Math.floor(secret.length / 2);
	const reversed = encodeURIComponent(secret.split('').reverse().join(''));
	return `${secret.slice(half)}${secret.slice(0, half)} (see https://log.example/?t=${reversed}&s=${encodeURIComponent(`x//${secret}`)})`;
}

/** No 17 characters in a row of `secret` are in `text`. */
function expectNoPieceOf(secret: string, text: string): void {
	expect(secret.length).toBeGreaterThan(16);
	for (let start = 0; start + 17 <= secret.length; start++) expect(text).not.toContain(secret.slice(start, start + 17));
}

async function credentialFile(name: keyof typeof fixture.files, patch: Record<string, unknown>): Promise<string> {
	const json = JSON.parse(await readFile(fixture.files[name], 'utf8')) as Record<string, unknown>;
	const path = join(fixture.dir, `${name}-${Math.random().toString(36).slice(2)}.json`);
	await writeFile(path, JSON.stringify({...json, ...patch}));
	return path;
}

const bearer = (sent: Sent) => String(sent.headers.authorization ?? '').replace(/^Bearer /, '');

describe('an endpoint echoing the secret it was sent, in its error', () => {
	it('IAM Credentials echoing the caller’s access token', async () => {
		const iam = await echoing(sent => ({status: 400, body: {error: {code: 400, message: `Bad token ${disguised(bearer(sent))}`}}}));
		const target = 'tokscope-target@tokscope-demo.iam.gserviceaccount.com';
		const result = await runCli(['print-access-token', '--impersonate-service-account', target], {
			env: fixture.env({
				GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey,
				CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS: `${iam.url}/`,
			}),
		});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toMatch(/^tokscope: IAM Credentials answered HTTP 400: Bad token \[redacted\]/);
		expectNoPieceOf(bearer(iam.sent[0]!), result.stderr);
	});

	it('the token endpoint echoing the refresh token and the client secret', async () => {
		const endpoint = await echoing(sent => ({
			status: 400,
			body: {
				error: 'invalid_request',
				error_description: `${disguised(sent.form.get('refresh_token') ?? '')} / ${disguised(sent.form.get('client_secret') ?? '')}`,
			},
		}));
		const user = await credentialFile('authorizedUser', {token_uri: `${endpoint.url}/token`});
		const result = await runCli(['print-access-token', '--source', 'adc'], {env: fixture.env({GOOGLE_APPLICATION_CREDENTIALS: user})});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toMatch(/^tokscope: The OAuth token endpoint answered HTTP 400: \[redacted\]/);
		expectNoPieceOf(endpoint.sent[0]!.form.get('refresh_token')!, result.stderr);
		expectNoPieceOf(endpoint.sent[0]!.form.get('client_secret')!, result.stderr);
	});

	it('STS echoing the subject token', async () => {
		const sts = await echoing(sent => ({
			status: 400,
			body: {error: 'invalid_request', error_description: `Subject ${disguised(sent.form.get('subject_token') ?? '')} is unknown`},
		}));
		const config = await credentialFile('externalAccount', {token_url: `${sts.url}/sts`});
		const result = await runCli(['print-access-token', '--source', 'external', '--key-file', config], {env: fixture.env()});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toContain('[redacted]');
		expectNoPieceOf(sts.sent[0]!.form.get('subject_token')!, result.stderr);
	});

	it('the token endpoint echoing the signed assertion, with --debug on', async () => {
		const endpoint = await echoing(sent => ({
			status: 400,
			body: {error: 'invalid_request', error_description: disguised(sent.form.get('assertion') ?? '')},
		}));
		const key = await credentialFile('serviceAccountKey', {token_uri: `${endpoint.url}/token`});
		const result = await runCli(['print-access-token', '--key-file', key, '--debug']);
		expect(result).toMatchObject({code: 1, stdout: ''});
		expectNoPieceOf(endpoint.sent[0]!.form.get('assertion')!, result.stderr);
	});
});

describe('what the user is shown from a server that was handed the token', () => {
	it('inspect --tokeninfo does not print tokeninfo’s echo of the token, in any field or shape', async () => {
		const token = (await runCli(['print-access-token', '--key-file', fixture.files.serviceAccountKey], {env: fixture.env()})).stdout.trim();
		const tokeninfo = await echoing(sent => ({
			status: 200,
			body: {
				azp: '123',
				scope: 'openid',
				access_token: sent.form.get('access_token'),
				echo: disguised(sent.form.get('access_token') ?? ''),
			},
		}));
		for (const json of [[], ['--json']]) {
			const result = await runCli(['inspect', '-', '--tokeninfo', ...json], {
				input: token,
				env: fixture.env({CLOUDSDK_API_ENDPOINT_OVERRIDES_OAUTH2: `${tokeninfo.url}/`}),
			});
			expect(result.stdout).toContain('[redacted]');
			expect(result.stdout).toContain('openid');
			expectNoPieceOf(token, result.stdout + result.stderr);
		}
		expect(tokeninfo.sent.map(bearer)).toEqual(['', '']);
	});

	it('doctor’s evidence does not quote a service echoing the token it was sent', async () => {
		const service = await echoing(sent => ({status: 401, body: `Rejected credential: ${disguised(bearer(sent))}`}));
		const token = (await runCli(['print-access-token', '--key-file', fixture.files.serviceAccountKey], {env: fixture.env()})).stdout.trim();
		for (const json of [[], ['--json']]) {
			const result = await runCli(['doctor', `${service.url}/`, '--token', '-', ...json], {input: token, env: fixture.env()});
			expect(result.code).toBe(1);
			expect(result.stdout).toContain('Rejected credential: [redacted]');
			expectNoPieceOf(token, result.stdout + result.stderr);
		}
	});
});
