import {execFile, spawn} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer, type IncomingMessage} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {decodeJwt} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {emulatorEnvironment} from '../../src/emulator/environment.js';
import {startFixture, type Fixture} from '../support/fixture.js';

// The bundle a user runs, built here into a private directory (a concurrent `npm run build` cannot disturb it),
// started with this Node as `node dist/cli.js …` with only the environment given.
const run = promisify(execFile);
let fixture: Fixture;
let dist: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
	fixture = await startFixture();
	dist = await mkdtemp(join(tmpdir(), 'tokscope-print-built-'));
	await run(process.execPath, [resolve('scripts/build.mjs'), '--outdir', dist], {timeout: 60_000});
	// A proxy that does not exist: loopback traffic must never be sent to it.
	const {NO_PROXY, ...emulatorEnv} = emulatorEnvironment(fixture.emulator, fixture.files);
	env = {
		...fixture.env(),
		...emulatorEnv,
		HTTPS_PROXY: 'http://127.0.0.1:9',
		HTTP_PROXY: 'http://127.0.0.1:9',
		https_proxy: 'http://127.0.0.1:9',
	};
}, 90_000);
afterAll(async () => {
	await fixture.close();
	await rm(dist, {recursive: true, force: true});
});

function tokscope(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{code: number | null; stdout: string; stderr: string}> {
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, [join(dist, 'cli.js'), ...args], {env: {...env, ...extraEnv}, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += chunk));
		child.stderr.on('data', chunk => (stderr += chunk));
		child.on('error', fail);
		child.on('close', code => done({code, stdout, stderr}));
	});
}

describe('the built print commands, with a bogus proxy configured', () => {
	it('print-access-token --source metadata prints exactly the token and a newline', async () => {
		const result = await tokscope(['print-access-token', '--source', 'metadata']);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
		expect(result.stdout.split('\n')).toHaveLength(2);
	});

	it('print-identity-token through a key file’s token_uri and through impersonation', async () => {
		const keyed = await tokscope([
			'print-identity-token',
			'--key-file',
			fixture.files.serviceAccountKey,
			'--audiences',
			'https://a.run.app',
		]);
		expect(keyed).toMatchObject({code: 0, stderr: ''});
		expect(decodeJwt(keyed.stdout.trim())).toMatchObject({aud: 'https://a.run.app', email: fixture.emulator.serviceAccountEmail});
		const target = 'runner@tokscope-demo.iam.gserviceaccount.com';
		const impersonated = await tokscope([
			'print-identity-token',
			'--impersonate-service-account',
			target,
			'--audiences',
			'https://a.run.app',
			'--include-email',
		]);
		expect(impersonated).toMatchObject({code: 0, stderr: ''});
		expect(decodeJwt(impersonated.stdout.trim()).email).toBe(target);
	});

	it('keeps google-auth-library’s own console warnings (fromJSON, new Impersonated) off stderr', async () => {
		const federated = await tokscope([
			'print-identity-token',
			'--source',
			'external',
			'--key-file',
			fixture.files.externalAccount,
			'--audiences',
			'https://a.run.app',
		]);
		expect(federated).toMatchObject({code: 0, stderr: ''});
		expect(decodeJwt(federated.stdout.trim()).aud).toBe('https://a.run.app');
	});

	it('sends a request for a real Google host through the proxy (the bundle can build its proxy agent)', async () => {
		// A proxy that wants credentials for every tunnel: it proves where the request went, and nothing leaves this machine.
		const tunnels: string[] = [];
		const proxy = createServer();
		proxy.on('connect', (request: IncomingMessage, socket: Socket) => {
			tunnels.push(request.url ?? '');
			socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
		});
		await new Promise<void>(done => proxy.listen(0, '127.0.0.1', done));
		const key = JSON.parse(await readFile(fixture.files.serviceAccountKey, 'utf8')) as Record<string, unknown>;
		const googleKey = join(dist, 'google-token-uri-key.json');
		await writeFile(googleKey, JSON.stringify({...key, token_uri: 'https://oauth2.googleapis.com/token'}));
		const proxyHost = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
		try {
			const result = await tokscope(['print-access-token', '--key-file', googleKey], {
				HTTPS_PROXY: `http://someone:hunter2@${proxyHost}`,
				https_proxy: `http://someone:hunter2@${proxyHost}`,
			});
			expect(tunnels).toContain('oauth2.googleapis.com:443');
			expect(result.code).toBe(1);
			expect(result.stdout).toBe('');
			expect(result.stderr).toBe(
				`tokscope: The proxy ${proxyHost} asked for credentials (HTTP 407) before letting the request to the OAuth token endpoint through.\n` +
					'  Give them in the proxy URL: HTTPS_PROXY=http://USER:PASSWORD@HOST:PORT\n',
			);
		} finally {
			proxy.close();
		}
	});

	it('a missing key file is one sentence naming it, exit 1, nothing on stdout', async () => {
		const missing = join(fixture.dir, 'missing-key.json');
		const result = await tokscope(['print-access-token', '--key-file', missing]);
		expect(result).toEqual({code: 1, stdout: '', stderr: `tokscope: The credential file ${missing} does not exist.\n`});
	});
});

describe('a token that could not be written is a failure', () => {
	it('with standard output closed (>&-): exit 1 and one sentence, not a silent success', async () => {
		const result = await new Promise<{code: number | null; stderr: string}>((done, fail) => {
			// The shell closes fd 1 and execs Node; Node then puts /dev/null there, read-write, which is how it is recognised.
			const child = spawn(
				'sh',
				['-c', 'exec "$0" "$@" >&-', process.execPath, join(dist, 'cli.js'), 'print-access-token', '--source', 'metadata'],
				{
					env,
					stdio: ['ignore', 'ignore', 'pipe'],
				},
			);
			let stderr = '';
			child.stderr.on('data', chunk => (stderr += chunk));
			child.on('error', fail);
			child.on('close', code => done({code, stderr}));
		});
		expect(result).toEqual({code: 1, stderr: 'tokscope: The access token was not printed: standard output is closed (>&-).\n'});
	});

	it('with the reader gone (a broken pipe): exit 1 and one sentence, for ID tokens too', async () => {
		const result = await new Promise<{code: number | null; stderr: string}>((done, fail) => {
			const child = spawn(
				process.execPath,
				[join(dist, 'cli.js'), 'print-identity-token', '--source', 'metadata', '--audiences', 'https://a.run.app'],
				{
					env,
					stdio: ['ignore', 'pipe', 'pipe'],
				},
			);
			// The reading end closes before the token is minted: the write meets EPIPE.
			child.stdout.destroy();
			let stderr = '';
			child.stderr.on('data', chunk => (stderr += chunk));
			child.on('error', fail);
			child.on('close', code => done({code, stderr}));
		});
		expect(result).toEqual({
			code: 1,
			stderr: 'tokscope: The ID token was not printed: the program reading it exited first (broken pipe).\n',
		});
	});

	it('while >/dev/null, a deliberate discard, still succeeds', async () => {
		const code = await new Promise<number | null>((done, fail) => {
			const child = spawn(
				'sh',
				['-c', 'exec "$0" "$@" >/dev/null', process.execPath, join(dist, 'cli.js'), 'print-access-token', '--source', 'metadata'],
				{env, stdio: 'ignore'},
			);
			child.on('error', fail);
			child.on('close', done);
		});
		expect(code).toBe(0);
	});
});
