import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readdir, readFile, readlink, rm, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {decodeJwt} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {lastStatus} from '../../src/commands/curl.js';
import {runCli} from '../support/cli.js';
import {startFixture, type Fixture} from '../support/fixture.js';

const hasCurl = spawnSync('curl', ['--version']).status === 0;
const built = existsSync(resolve('dist/cli.js'));

describe('curl’s header dump', () => {
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

	it('refuses plain http to a cloudfunctions.net name even when curl’s --resolve would take it to loopback', async () => {
		// The policy reads the URL, not where curl's own options send it: such a token would leave over plain http anywhere
		// else. (Which audience a function gets is target.test's; the stand-in's answer to it is doctor.test's --probe.)
		const fn = fixture.emulator.services.cloudFunction;
		const port = new URL(fn.origin).port;
		const host = 'us-central1-tokscope-demo.cloudfunctions.net';
		const before = fixture.emulator.requests.length;
		const resolve = ['--resolve', `${host}:${port}:127.0.0.1`];
		const result = await runCli(['curl', `http://${host}:${port}/fn`, '--source', 'metadata', '--', '-s', ...resolve], {env: env()});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toMatch(/^tokscope: The token is sent only over https/);
		expect(fixture.emulator.requests.length).toBe(before);
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

	it('calls IAP with its OAuth client ID as the audience and gets in: the ID token carries the email, as doctor mints it', async () => {
		const {iap} = fixture.emulator.services;
		const result = await runCli(['curl', iap.url, '--source', 'metadata', '--audience', iap.audience!, '--', '-s'], {env: env()});
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toBe(`Hello from an IAP-protected app, ${fixture.emulator.serviceAccountEmail}!\n`);
	});

	it('refuses plain http off this machine before minting: nothing reaches the token endpoint, curl never runs', async () => {
		// A stand-in curl that only leaves a mark: whatever the policy, no packet can leave for the documentation address.
		const bin = await mkdtemp(join(tmpdir(), 'tokscope-fake-curl-'));
		const mark = join(bin, 'ran');
		await writeFile(join(bin, 'curl'), `#!/bin/sh\ntouch '${mark}'\n`, {mode: 0o755});
		try {
			const before = fixture.emulator.requests.length;
			const result = await runCli(['curl', 'http://192.0.2.1/', '--source', 'metadata'], {
				env: env({PATH: `${bin}:${process.env.PATH}`}),
			});
			expect(result).toMatchObject({code: 1, stdout: ''});
			expect(result.stderr).toBe(
				'tokscope: The token is sent only over https (plain http only to this machine), so http://192.0.2.1 was not called.\n' +
					"  Use https://192.0.2.1/: Google's front end serves Cloud Run, Cloud Functions and IAP over https.\n",
			);
			expect(fixture.emulator.requests.length).toBe(before);
			expect(existsSync(mark)).toBe(false);
		} finally {
			await rm(bin, {recursive: true, force: true});
		}
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
