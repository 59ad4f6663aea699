import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readdir, readFile, readlink, rm} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {decodeJwt} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {chooseToken, lastStatus} from '../../src/commands/curl.js';
import {classifyTarget} from '../../src/doctor/target.js';
import {runCli} from '../support/cli.js';
import {startFixture, type Fixture} from '../support/fixture.js';

const hasCurl = spawnSync('curl', ['--version']).status === 0;
const built = existsSync(resolve('dist/cli.js'));

describe('which token a URL needs', () => {
	it('an access token for Google APIs, an ID token for the origin of anything else, and the user’s word over ours', () => {
		expect(chooseToken(new URL('https://storage.googleapis.com/storage/v1/b?project=p'))).toEqual({kind: 'access'});
		const run = 'https://hello-abc123-uc.a.run.app';
		expect(chooseToken(new URL(`${run}/path?q=1`))).toEqual({kind: 'id', audience: run});
		// A look-alike host is not Google's.
		expect(chooseToken(new URL('https://googleapis.com.evil.example/'))).toMatchObject({kind: 'id'});
		expect(chooseToken(new URL('https://example.com/fn'), {audience: 'https://region-p.cloudfunctions.net/fn'})).toEqual({
			kind: 'id',
			audience: 'https://region-p.cloudfunctions.net/fn',
		});
		expect(chooseToken(new URL('http://127.0.0.1:8080/v1/x'), {kind: 'access'})).toEqual({kind: 'access'});
		const storage = 'https://storage.googleapis.com';
		expect(chooseToken(new URL(`${storage}/x`), {kind: 'id'})).toEqual({kind: 'id', audience: storage});
	});

	it('chooses as doctor does: a Cloud Function’s ID token is for the full function URL, not the origin', () => {
		for (const url of ['https://us-central1-p.cloudfunctions.net/hello', 'https://us-central1-p.cloudfunctions.net/hello/sub/path?x=1']) {
			const target = classifyTarget(new URL(url));
			expect(chooseToken(new URL(url))).toEqual({kind: 'id', audience: 'https://us-central1-p.cloudfunctions.net/hello'});
			expect(chooseToken(new URL(url))).toEqual({kind: target.wants, audience: target.audience});
		}
	});

	it('reads the status of the last response from curl’s header dump, after redirects', () => {
		expect(lastStatus('HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\nHTTP/2 403\r\ncontent-type: text/html\r\n\r\n')).toBe(403);
		expect(lastStatus('')).toBeUndefined();
	});
});

// The real curl, run by the built CLI, against the emulator's services.
describe.skipIf(!hasCurl || !built)('tokscope curl', () => {
	let fixture: Fixture;
	let tmp: string;
	const env = (extra: NodeJS.ProcessEnv = {}) => fixture.env({TMPDIR: tmp, ...extra});

	beforeAll(async () => {
		fixture = await startFixture();
		tmp = await mkdtemp(join(tmpdir(), 'tokscope-curl-test-'));
	});
	afterAll(async () => {
		await fixture.close();
		await rm(tmp, {recursive: true, force: true});
	});

	it('calls Cloud Run with an ID token for its origin and exits with curl’s status', async () => {
		const cloudRun = fixture.emulator.services.cloudRun;
		const result = await runCli(['curl', cloudRun.url, '--source', 'metadata', '--', '-s'], {env: env()});
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toBe(`Hello from Cloud Run, ${fixture.emulator.serviceAccountEmail}!\n`);
		// Nothing of the token is left behind in the temporary directory.
		expect((await readdir(tmp)).filter(name => name.startsWith('tokscope-curl-'))).toEqual([]);
	});

	it('on a 403 suggests tokscope doctor in one line and leaves curl’s output alone; -f makes curl’s status 22', async () => {
		const cloudRun = fixture.emulator.services.cloudRun;
		cloudRun.deny(fixture.emulator.serviceAccountEmail);
		try {
			const plain = await runCli(['curl', cloudRun.url, '--source', 'metadata', '--', '-s'], {env: env()});
			expect(plain.code).toBe(0);
			expect(plain.stdout).toContain('403');
			expect(plain.stderr).toBe(`tokscope: the server answered HTTP 403; to see why, run: tokscope doctor ${cloudRun.url}/\n`);
			const failing = await runCli(['curl', cloudRun.url, '--source', 'metadata', '--', '-sf'], {env: env()});
			expect(failing.code).toBe(22);
			expect(failing.stdout).toBe('');
		} finally {
			cloudRun.allow(fixture.emulator.serviceAccountEmail);
		}
	});

	it('calls a *.cloudfunctions.net function with an ID token for the full function URL, as doctor would mint it', async () => {
		// The function stand-in listens on loopback; curl's --resolve sends the cloudfunctions.net name there with no DNS.
		const fn = fixture.emulator.services.cloudFunction;
		const port = new URL(fn.origin).port;
		const host = 'us-central1-tokscope-demo.cloudfunctions.net';
		const functionUrl = `http://${host}:${port}${new URL(fn.url).pathname}`;
		fn.addAudience(functionUrl);
		try {
			const resolve = ['--resolve', `${host}:${port}:127.0.0.1`];
			const result = await runCli(['curl', `${functionUrl}/sub?x=1`, '--source', 'metadata', '--', '-s', ...resolve], {env: env()});
			expect(result).toMatchObject({code: 0, stderr: ''});
			expect(result.stdout).toBe(`Hello from Cloud Functions, ${fixture.emulator.serviceAccountEmail}!\n`);
			// The origin alone is what the function refuses (google-auth-library-nodejs#1208): said with --audience, it is 401.
			const audience = ['--audience', `http://${host}:${port}`];
			const origin = await runCli(['curl', functionUrl, '--source', 'metadata', ...audience, '--', '-s', ...resolve], {env: env()});
			expect(origin.stderr).toContain('the server answered HTTP 401');
		} finally {
			fn.removeAudience(functionUrl);
		}
	});

	it('sends an access token when told to (a Google API on a host that is not googleapis.com)', async () => {
		const api = fixture.emulator.services.googleApi;
		const result = await runCli(['curl', api.url, '--source', 'metadata', '--token-kind', 'access', '--', '-s'], {env: env()});
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(JSON.parse(result.stdout)).toMatchObject({projectId: fixture.emulator.projectId});
	});

	it('passes the user’s curl arguments through, after the URL', async () => {
		const cloudRun = fixture.emulator.services.cloudRun;
		const result = await runCli(
			['curl', cloudRun.url, '--source', 'metadata', '--', '-s', '-o', '/dev/null', '-w', '%{http_code} %{method}\n', '-X', 'POST'],
			{
				env: env(),
			},
		);
		expect(result).toMatchObject({code: 0, stdout: '200 POST\n', stderr: ''});
	});

	it('never puts the token in curl’s arguments or environment, as /proc shows them while curl runs', async () => {
		// A service that, while the request is open, reads every curl process's argv and environment from /proc.
		const seen: Array<{token: string; argv: string[]; environ: string; fd3: string}> = [];
		let url = '';
		const server: Server = createServer((request, response) => {
			void (async () => {
				const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
				for (const pid of (await readdir('/proc')).filter(name => /^\d+$/.test(name))) {
					const argv = await readFile(`/proc/${pid}/cmdline`, 'utf8').then(
						text => text.split('\0'),
						(): string[] => [],
					);
					if (!argv[0]?.endsWith('curl') || !argv.includes(url)) continue;
					const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
					const fd3 = await readlink(`/proc/${pid}/fd/3`).catch(() => '');
					seen.push({token, argv, environ, fd3});
				}
				response.end('ok\n');
			})();
		});
		await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/argv-check`;
		try {
			const result = await runCli(['curl', url, '--source', 'metadata', '--', '-s'], {env: env()});
			expect(result).toMatchObject({code: 0, stdout: 'ok\n', stderr: ''});
		} finally {
			server.close();
		}
		expect(seen).toHaveLength(1);
		const [{token, argv, environ, fd3}] = seen as [(typeof seen)[number]];
		expect(decodeJwt(token).aud).toBe(new URL(url).origin);
		expect(argv.join(' ')).not.toContain(token);
		expect(argv.slice(1, 5)).toEqual(['-H', '@/dev/fd/3', '-D', '/dev/fd/4']);
		expect(environ).not.toContain(token);
		// The header file was unlinked before curl started: no other process can open it by name.
		expect(fd3).toMatch(/ \(deleted\)$/);
		expect((await readdir(tmp)).filter(name => name.startsWith('tokscope-curl-'))).toEqual([]);
	});

	it('refuses a URL that is not http(s) before minting anything', async () => {
		const before = fixture.emulator.requests.length;
		const result = await runCli(['curl', 'file:///etc/passwd', '--source', 'metadata'], {env: env()});
		expect(result).toMatchObject({
			code: 1,
			stdout: '',
			stderr: 'tokscope: tokscope curl sends a bearer token, so it takes http(s) URLs only, not file:.\n',
		});
		expect(fixture.emulator.requests.length).toBe(before);
	});
});
