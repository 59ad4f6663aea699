import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

// `tokscope emulator` as a user runs it: the bundle built into a private directory, started with `node dist/cli.js`.
const run = promisify(execFile);
let dist: string;

beforeAll(async () => {
	dist = await mkdtemp(join(tmpdir(), 'tokscope-emulator-built-'));
	await run(process.execPath, [resolve('scripts/build.mjs'), '--outdir', dist], {timeout: 60_000});
}, 90_000);
afterAll(() => rm(dist, {recursive: true, force: true}));

/** Starts the emulator command and waits (bounded) for its banner. */
async function startCommand(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{child: ChildProcess; banner: string}> {
	const child = spawn(process.execPath, [join(dist, 'cli.js'), 'emulator', ...args], {
		env: {PATH: process.env.PATH, NO_PROXY: '127.0.0.1', ...env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let banner = '';
	await new Promise<void>((done, fail) => {
		const timer = setTimeout(() => fail(new Error(`no banner within 15 s: ${banner}`)), 15_000);
		child.stdout!.on('data', chunk => {
			banner += chunk;
			if (banner.includes('Press Ctrl-C to stop.')) {
				clearTimeout(timer);
				done();
			}
		});
		child.on('exit', code => fail(new Error(`exited ${code}`)));
	});
	return {child, banner};
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function stop(child: ChildProcess): Promise<number | null> {
	return new Promise(done => {
		child.once('exit', code => done(code));
		child.kill('SIGINT');
	});
}

describe('the built tokscope emulator command', () => {
	it('prints every service URL and the OAuth client file, and fails the paths named by --fail', async () => {
		const {child, banner} = await startCommand(['--fail', '/token=500', '--fail', ':generateIdToken=403', '--fail', '/identity=stall']);
		try {
			const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
			expect(url).toBeDefined();
			for (const label of ['Cloud Run', 'Cloud Functions', 'IAP', 'API Gateway', 'Google API', 'Public'])
				expect(banner).toMatch(new RegExp(`^  ${label} +http://127\\.0\\.0\\.1:\\d+`, 'm'));
			expect(banner).toMatch(/OAuth client file \S+oauth-client\.json/);
			// The README shows this banner (PORT and XXXXXX stand for what changes, … for lines left out): each line it
			// shows is a line printed here.
			const readme = await readFile(resolve('README.md'), 'utf8');
			const shown = /\$ tokscope emulator --lifetime 20\n([\s\S]*?)```/
				.exec(readme)![1]!
				.split('\n')
				.filter(line => line && line !== '…');
			expect(shown.length).toBeGreaterThan(8);
			const printed = banner.split('\n');
			for (const line of shown) {
				const pattern = escapeRegExp(line).replaceAll('PORT', '\\d+').replace('XXXXXX', '\\w+').replaceAll(/ {2,}/g, ' {2,}');
				expect(printed, line).toContainEqual(expect.stringMatching(new RegExp(`^${pattern}$`)));
			}
			expect(banner).toContain('Failing on purpose: /token=500');

			const token = await fetch(`${url}/token`, {method: 'POST', body: new URLSearchParams({grant_type: 'refresh_token'})});
			expect(token.status).toBe(500);
			expect(((await token.json()) as {error: {status: string}}).error.status).toBe('INTERNAL');
			// A fault plays before anything else is checked, as a failing Google would: no caller token is needed.
			const iam = await fetch(`${url}/v1/projects/-/serviceAccounts/a@b.iam.gserviceaccount.com:generateIdToken`, {
				method: 'POST',
				body: '{"audience":"x"}',
			});
			expect(iam.status).toBe(403);
			expect(((await iam.json()) as {error: {message: string}}).error.message).toContain(
				"Permission 'iam.serviceAccounts.getOpenIdToken' denied",
			);
			await expect(
				fetch(`${url}/computeMetadata/v1/instance/service-accounts/default/identity?audience=x`, {
					headers: {'Metadata-Flavor': 'Google'},
					signal: AbortSignal.timeout(300),
				}),
			).rejects.toThrow();
		} finally {
			expect(await stop(child)).toBe(0);
		}
	}, 30_000);

	it('prints export lines quoted as the README shows them, which sh reads back exactly with spaces and quotes in TMPDIR', async () => {
		const temp = await mkdtemp(join(tmpdir(), `tokscope it's a "dir" `));
		const {child, banner} = await startCommand([], {TMPDIR: temp});
		try {
			const exports = banner.split('\n').filter(line => line.startsWith('export '));
			expect(exports.map(line => line.split('=')[0])).toEqual([
				'export GCE_METADATA_HOST',
				'export GCE_METADATA_ROOT',
				'export GCE_METADATA_IP',
				'export GOOGLE_APPLICATION_CREDENTIALS',
				'export CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS',
				'export CLOUDSDK_API_ENDPOINT_OVERRIDES_OAUTH2',
				'export TOKSCOPE_TEST_ISSUERS',
				'export NO_PROXY',
			]);
			for (const line of exports) expect(line).toMatch(/^export [A-Z0-9_]+='([^']|'\\'')*'$/);
			const script = join(temp, 'env.sh');
			await writeFile(script, `${exports.join('\n')}\n`);
			const {stdout} = await run('sh', [
				'-c',
				'. "$1"; printf "%s\\n" "$GOOGLE_APPLICATION_CREDENTIALS" "$GCE_METADATA_HOST"',
				'sh',
				script,
			]);
			const [credentials, host] = stdout.split('\n');
			expect(credentials).toMatch(new RegExp(`^${escapeRegExp(temp)}/tokscope-emulator-\\w+/service-account-key\\.json$`));
			expect(JSON.parse(await readFile(credentials!, 'utf8'))).toMatchObject({type: 'service_account'});
			expect(banner).toContain(`export GCE_METADATA_HOST='${host}'`);
		} finally {
			expect(await stop(child)).toBe(0);
			await rm(temp, {recursive: true, force: true});
		}
	}, 30_000);

	it('lines its services up in columns, each row’s URL apart from the token it wants', async () => {
		const {child, banner} = await startCommand([]);
		try {
			const rows = banner.split('\n').filter(line => /^ {2}(Cloud Run|Cloud Functions|IAP|API Gateway|Google API|Public) /.test(line));
			expect(rows).toHaveLength(6);
			const cells = rows.map(row => row.trim().split(/ {2,}/));
			for (const row of cells) expect(row).toHaveLength(3);
			expect(cells.find(([label]) => label === 'Google API')).toEqual([
				'Google API',
				expect.stringMatching(/\/v1\/projects\/tokscope-demo$/),
				'access token',
			]);
			// Each column starts where the one above it does.
			for (const column of [1, 2]) expect(new Set(rows.map((row, index) => row.indexOf(cells[index]![column]!))).size).toBe(1);
		} finally {
			expect(await stop(child)).toBe(0);
		}
	}, 30_000);

	it('removes its credential files when its SSH session hangs up (SIGHUP)', async () => {
		const {child, banner} = await startCommand([]);
		const dir = /Credential files it issued are in (\S+) /.exec(banner)![1]!;
		await new Promise(done => {
			child.once('exit', done);
			child.kill('SIGHUP');
		});
		await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
	}, 30_000);

	it.each([
		[['--port', 'abc'], 'tokscope: --port takes a port number from 1 to 65535, not "abc".\n  Leave it out to get a free port.\n'],
		[['--port', '99999'], 'tokscope: --port takes a port number from 1 to 65535, not "99999".\n  Leave it out to get a free port.\n'],
	])('refuses %j in one sentence', async (args, stderr) => {
		const result = await run(process.execPath, [join(dist, 'cli.js'), 'emulator', ...args], {timeout: 15_000}).catch(
			(error: {code: number; stderr: string}) => error,
		);
		expect(result).toMatchObject({code: 1, stderr});
	});

	it('says a port in use is in use, not Node’s "listen EADDRINUSE"', async () => {
		const server = createServer();
		await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
		const {port} = server.address() as AddressInfo;
		try {
			const result = await run(process.execPath, [join(dist, 'cli.js'), 'emulator', '--port', String(port)], {timeout: 15_000}).catch(
				(error: {code: number; stderr: string}) => error,
			);
			expect(result).toMatchObject({code: 1});
			expect((result as {stderr: string}).stderr).toMatch(
				new RegExp(`^tokscope: The emulator cannot listen on port ${port} on 127\\.0\\.0\\.1: something else is already using it\\.\n`),
			);
		} finally {
			server.close();
		}
	});

	it('refuses a --fail that is not PATH=STATUS, in one sentence', async () => {
		const result = await run(process.execPath, [join(dist, 'cli.js'), 'emulator', '--fail', '/token=teapot'], {timeout: 15_000}).catch(
			(error: {code: number; stderr: string}) => error,
		);
		expect(result).toMatchObject({code: 1});
		expect((result as {stderr: string}).stderr).toBe(
			'tokscope: --fail "/token=teapot": "teapot" is not an HTTP error status (400–599), stall or drop.\n',
		);
	});
});
