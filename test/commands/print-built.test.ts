import {execFile, spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {decodeJwt} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {emulatorEnvironment} from '../../src/emulator/environment.js';
import {startFixture, type Fixture} from '../sources/fixture.js';

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
	const {NO_PROXY: _unset, ...emulatorEnv} = emulatorEnvironment(fixture.emulator, fixture.files);
	env = {...fixture.env(), ...emulatorEnv, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9'};
}, 90_000);
afterAll(async () => {
	await fixture.close();
	await rm(dist, {recursive: true, force: true});
});

function tokscope(args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, [join(dist, 'cli.js'), ...args], {env, stdio: ['ignore', 'pipe', 'pipe']});
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
		const keyed = await tokscope(['print-identity-token', '--key-file', fixture.files.serviceAccountKey, '--audiences', 'https://a.run.app']);
		expect(keyed).toMatchObject({code: 0, stderr: ''});
		expect(decodeJwt(keyed.stdout.trim())).toMatchObject({aud: 'https://a.run.app', email: fixture.emulator.serviceAccountEmail});
		const target = 'runner@tokscope-demo.iam.gserviceaccount.com';
		const impersonated = await tokscope(['print-identity-token', '--impersonate-service-account', target, '--audiences', 'https://a.run.app', '--include-email']);
		expect(impersonated).toMatchObject({code: 0, stderr: ''});
		expect(decodeJwt(impersonated.stdout.trim()).email).toBe(target);
	});

	it('keeps google-auth-library’s own console warnings (fromJSON, new Impersonated) off stderr', async () => {
		const federated = await tokscope(['print-identity-token', '--source', 'external', '--key-file', fixture.files.externalAccount, '--audiences', 'https://a.run.app']);
		expect(federated).toMatchObject({code: 0, stderr: ''});
		expect(decodeJwt(federated.stdout.trim()).aud).toBe('https://a.run.app');
	});

	it('a missing key file is one sentence naming it, exit 1, nothing on stdout', async () => {
		const missing = join(fixture.dir, 'missing-key.json');
		const result = await tokscope(['print-access-token', '--key-file', missing]);
		expect(result).toEqual({code: 1, stdout: '', stderr: `tokscope: The credential file ${missing} does not exist.\n`});
	});
});
