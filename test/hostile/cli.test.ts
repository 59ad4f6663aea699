import {spawn} from 'node:child_process';
import {createServer as createTcpServer, type AddressInfo} from 'node:net';
import {resolve} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {loopbackOnly, runCli} from '../support/cli.js';
import {hostileServer, metadataProbe, type HostileServer} from './servers.js';

// The built CLI against hostile metadata servers and hostile arguments: one sentence on stderr, exit 1, nothing on
// stdout, and no byte a terminal acts on anywhere.

const servers: HostileServer[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) await server.close();
});

// A control character other than the newline between lines: one a terminal would act on.
const terminalActs = /(?!\n)\p{Cc}/u;

describe('print-* against a hostile metadata server', () => {
	it.each([
		['an HTML page', '<!DOCTYPE html><html><body>Sign in</body></html>'],
		['an empty body', ''],
		['65,537 bytes of a', 'a'.repeat(65_537)],
		['a JWT with an OSC 52 in its signature', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig\u001B]52;c;ZXZpbA==\u0007'],
	])('print-identity-token refuses %s from /identity: one sentence, exit 1', async (_, body) => {
		const server = await hostileServer({kind: 'garbage', body}, metadataProbe);
		servers.push(server);
		const result = await runCli(['print-identity-token', '--source', 'metadata', '--audiences', 'https://a.example'], {
			env: {GCE_METADATA_HOST: server.host},
		});
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(
			/^tokscope: The metadata server (answered with something that is not an ID token \(a JWT\)|sent more than 64 KiB)[^\n]*\.\n$/,
		);
		expect(result.stderr).not.toMatch(terminalActs);
		expect(result.code).toBe(1);
	});

	it('print-access-token refuses an access token holding ESC ] 52 and ESC [2J', async () => {
		const body = JSON.stringify({access_token: 'ya29.abc\u001B]52;c;ZXZpbA==\u0007\u001B[2J', expires_in: 3599});
		const server = await hostileServer({kind: 'garbage', body, type: 'application/json'}, metadataProbe);
		servers.push(server);
		const result = await runCli(['print-access-token', '--source', 'metadata'], {env: {GCE_METADATA_HOST: server.host}});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toBe(
			'tokscope: The metadata server answered with something that is not an access token: characters no access token has. It was not used.\n',
		);
	});

	it('a trickling metadata server ends print-access-token within its deadline', {tags: ['timing'], timeout: 30_000}, async () => {
		const server = await hostileServer({kind: 'trickle'}, metadataProbe);
		servers.push(server);
		const result = await runCli(['print-access-token', '--source', 'metadata'], {
			env: {GCE_METADATA_HOST: server.host},
			timeoutMs: 25_000,
		});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toMatch(/^tokscope: The metadata server did not (answer|finish its answer) within 10 s\.\n$/);
		expect(result.ms).toBeLessThan(15_000);
	});
});

describe('hostile arguments', () => {
	it('an unknown option holding escapes is echoed visibly, never raw', async () => {
		const result = await runCli(['--evil\u001B]52;c;ZXZpbA==\u0007\u001B[2J']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--evil\\u001b]52;c;ZXZpbA==\\u0007\\u001b[2J');
		expect(result.stderr).not.toMatch(terminalActs);
	});
});

describe('doctor at the edges', () => {
	it('--method CONNECT to a server that opens the tunnel: one sentence and exit 2, never an unsettled await', async () => {
		// Answers 200 to anything, as a proxy answers CONNECT: node's client then hands over the socket as a tunnel.
		const server = createTcpServer(socket => socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')));
		await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
		try {
			for (const method of ['CONNECT', 'connect']) {
				const result = await runCli(['doctor', url, '--method', method, '--token', 'ya29.abc']);
				expect(result).toMatchObject({code: 2, stdout: ''});
				expect(result.stderr).toMatch(/^tokscope: CONNECT opens a tunnel rather than calling the service[^\n]*\.\n$/);
			}
		} finally {
			server.close();
		}
	});

	it('with standard output closed (>&-): one sentence on stderr and a non-zero exit', async () => {
		const server = createTcpServer(socket => socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')));
		await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
		try {
			for (const json of [[], ['--json']]) {
				const args = ['doctor', url, '--token', 'ya29.abc', ...json].map(arg => `'${arg}'`).join(' ');
				const result = await new Promise<{code: number | null; stderr: string}>(done => {
					const child = spawn('sh', ['-c', `exec '${process.execPath}' '${resolve('dist/cli.js')}' ${args} >&-`], {
						env: {PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: loopbackOnly},
						stdio: ['ignore', 'ignore', 'pipe'],
					});
					let stderr = '';
					child.stderr.on('data', chunk => (stderr += chunk));
					child.on('close', code => done({code, stderr}));
				});
				expect(result.stderr).toBe('tokscope: The doctor report was not printed: standard output is closed (>&-).\n');
				expect(result.code).toBe(2);
			}
		} finally {
			server.close();
		}
	});
});
