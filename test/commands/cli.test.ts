import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {decodeJwt} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type CredentialFiles, type Emulator} from '../../src/emulator/index.js';
import {emulatorEnvironment} from '../../src/emulator/environment.js';
import {runCli} from '../support/cli.js';

let emulator: Emulator;
let files: CredentialFiles;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
	emulator = await startEmulator();
	dir = await mkdtemp(join(tmpdir(), 'tokscope-cli-'));
	files = await emulator.writeCredentialFiles(dir);
	env = {...emulatorEnvironment(emulator, files), CLOUDSDK_CONFIG: join(dir, 'gcloud')};
});
afterAll(async () => {
	await emulator.close();
	await rm(dir, {recursive: true, force: true});
});

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+|Error:|node:internal/);

describe('print-access-token and print-identity-token', () => {
	it('print the token and one newline on stdout, nothing else', async () => {
		const access = await runCli(['print-access-token', '--source', 'metadata'], {env});
		expect(access).toMatchObject({code: 0, stderr: ''});
		expect(access.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
		const id = await runCli(['print-identity-token', '--audiences=https://svc.run.app', '--include-email'], {env});
		expect(id).toMatchObject({code: 0, stderr: ''});
		expect(id.stdout.endsWith('\n')).toBe(true);
		expect(decodeJwt(id.stdout.trim())).toMatchObject({aud: 'https://svc.run.app', email: emulator.serviceAccountEmail});
	});

	it('impersonate with gcloud’s flag, and name the missing role on 403 without a stack trace', async () => {
		const target = 'runner@tokscope-demo.iam.gserviceaccount.com';
		const ok = await runCli(
			['print-identity-token', '--impersonate-service-account', target, '--audiences', 'https://a.run.app', '--include-email'],
			{env},
		);
		expect(decodeJwt(ok.stdout.trim()).email).toBe(target);
		emulator.setFault(':generateIdToken', {
			status: 403,
			body: {error: {code: 403, message: 'denied', status: 'PERMISSION_DENIED'}},
			times: 1,
		});
		const denied = await runCli(['print-identity-token', '--impersonate-service-account', target, '--audiences', 'https://a.run.app'], {
			env,
		});
		expect(denied.code).toBe(1);
		expect(denied.stdout).toBe('');
		expect(denied.stderr).toContain(`needs roles/iam.serviceAccountOpenIdTokenCreator`);
		noStack(denied.stderr);
	});

	it('fail fast with one sentence when the metadata server is absent or stalls', {tags: ['timing']}, async () => {
		const absent = await runCli(['print-access-token', '--source', 'metadata'], {env: {...env, GCE_METADATA_HOST: '127.0.0.1:1'}});
		expect(absent.code).toBe(1);
		expect(absent.stderr.split('\n')[0]).toMatch(/^tokscope: The metadata server is not reachable/);
		expect(absent.ms).toBeLessThan(3000);
		emulator.setFault('/computeMetadata/v1/instance/service-accounts/default/token', {stall: true});
		const stalled = await runCli(['print-access-token', '--source', 'metadata'], {env});
		emulator.clearFaults();
		expect(stalled.code).toBe(1);
		expect(stalled.stderr).toMatch(/did not answer within/);
		expect(stalled.ms).toBeLessThan(20_000);
	});

	it('warns on stderr, before sending anything, when a credential file points away from Google', async () => {
		const json = JSON.parse(await (await import('node:fs/promises')).readFile(files.externalAccount, 'utf8')) as Record<string, unknown>;
		const elsewhere = join(dir, 'elsewhere.json');
		// A documentation address (RFC 5737) stands in for a foreign host; the tests' guard refuses to dial it anyway.
		await writeFile(elsewhere, JSON.stringify({...json, token_url: 'http://192.0.2.1:9/v1/token'}));
		const before = emulator.requests.length;
		const result = await runCli(['print-access-token', '--source', 'external', '--key-file', elsewhere], {env});
		expect(result.stderr.split('\n')[0]).toBe(
			`tokscope: warning: token_url in ${elsewhere} points to 192.0.2.1:9, which is not Google: the credential will be sent there.`,
		);
		expect(result.code).toBe(1);
		expect(emulator.requests.length).toBe(before);
	});

	it('--debug traces each request on stderr with credentials redacted, and stdout stays the bare token', async () => {
		const result = await runCli(['print-access-token', '--debug', '--key-file', files.serviceAccountKey], {env});
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
		expect(result.stderr).toContain(`tokscope debug: POST ${emulator.url}/token → HTTP 200 in`);
		const info = await runCli(['inspect', result.stdout.trim(), '--tokeninfo', '--debug'], {env});
		expect(info.stderr).toMatch(/tokscope debug: POST .*\/tokeninfo/);
		expect(`${result.stderr}${info.stderr}`).not.toContain(result.stdout.trim().slice(0, 24));
	});

	it('names a broken credential file and an unknown flag', async () => {
		const broken = join(dir, 'truncated.json');
		await writeFile(broken, '{"type": "service_account", "private_key": "-----BEGIN');
		const file = await runCli(['print-access-token', '--key-file', broken], {env});
		expect(file.stderr).toBe(`tokscope: The credential file ${broken} is not valid JSON (it may be truncated).\n`);
		const flag = await runCli(['print-access-token', '--scope', 'x'], {env});
		expect(flag.code).toBe(2);
		expect(flag.stderr).toMatch(/^tokscope: unknown option '--scope'/);
	});
});

describe('inspect', () => {
	it('verifies an emulator token from stdin and reports a tampered one invalid', async () => {
		const token = (await runCli(['print-identity-token', '--audiences=https://svc.run.app'], {env})).stdout.trim();
		const good = await runCli(['inspect', '-'], {env, input: `${token}\n`});
		expect(good.code).toBe(0);
		expect(good.stdout).toContain('ID token (OpenID Connect JWT)');
		expect(good.stdout).toMatch(/signature\s+✓ valid/);
		// The emulator's environment names its issuer a test issuer (TOKSCOPE_TEST_ISSUERS), and inspect says so.
		expect(good.stdout).toContain('(a test issuer standing in for Google)');
		expect(good.stdout).toMatch(/aud\s+https:\/\/svc\.run\.app\n\s+Audience: who this token is for/);
		const [header, payload, signature] = token.split('.');
		const forged = Buffer.from(JSON.stringify({...decodeJwt(token), email: 'admin@example.com'})).toString('base64url');
		const bad = await runCli(['inspect', `${header}.${forged}.${signature}`, '--json'], {env});
		expect(bad.code).toBe(1);
		const json = JSON.parse(bad.stdout) as {kind: string; verification: {status: string; issuer: string; keyId: string}};
		expect(Object.keys(json)).toEqual(['kind', 'header', 'claims', 'issuedAt', 'expiresAt', 'verification']);
		expect(json.verification).toMatchObject({status: 'invalid', issuer: emulator.url});
		expect(payload).toBeTruthy();
	});

	it('describes an opaque access token and asks tokeninfo only when told to', async () => {
		const token = (await runCli(['print-access-token'], {env})).stdout.trim();
		const before = emulator.requests.length;
		const plain = await runCli(['inspect', token, '--json'], {env});
		expect(JSON.parse(plain.stdout)).toMatchObject({kind: 'google-access-token', claims: null, verification: {status: 'unverified'}});
		expect(emulator.requests.slice(before).some(r => r.path.startsWith('/tokeninfo'))).toBe(false);
		const asked = await runCli(['inspect', token, '--tokeninfo'], {env});
		expect(asked.stdout).toContain('"email": "tokscope-demo@tokscope-demo.iam.gserviceaccount.com"');
	});

	it.each([
		['empty input', ['inspect', '-'], ''],
		['not a token', ['inspect', 'hello there'], ''],
		['a JWE', ['inspect', 'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d'], ''],
		['megabytes of noise', ['inspect', '-'], 'x'.repeat(3_000_000)],
	])('refuses %s with one sentence, no stack trace and no echo', async (_name, args, input) => {
		const result = await runCli(args, {env, input});
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
		expect(result.stderr).toMatch(/^tokscope: /);
		noStack(result.stderr);
		expect(result.stderr).not.toContain('hello there');
	});

	it('warns about clock skew when a token was issued in the future by this machine’s clock', async () => {
		const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const now = Math.floor(Date.now() / 1000);
		const claims = {iss: 'https://accounts.google.com', aud: 'a', azp: 'b', sub: '1', iat: now + 600, exp: now + 4200};
		const future = `${b64({alg: 'RS256'})}.${b64(claims)}.c2ln`;
		const result = await runCli(['inspect', future, '--no-verify'], {env});
		expect(result.stdout).toMatch(/clock\s+⚠ This token was issued (9m 5\ds|10m 00s) in the future/);
	});

	it('shows terminal escapes hidden in claims as escapes, flagged, never raw and never dropped', async () => {
		const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
		// The metadata server's link-local address as issuer: the fetch policy refuses it before any socket ("not fetched
		// because"), and runCli's loopback guard would refuse it too (its own test runs under unshare -n).
		const claims = {sub: 'x\u001B]52;c;cHduZWQ=\u0007\u001B[2Jy', iss: 'https://169.254.169.254'};
		const hostile = `${b64({alg: 'RS256', typ: 'JWT'})}.${b64(claims)}.c2ln`;
		const result = await runCli(['inspect', hostile], {env});
		expect(result.stdout).not.toMatch(/(?!\n)\p{Cc}/u);
		expect(result.stdout).toContain('x\\u001b]52;c;cHduZWQ=\\u0007\\u001b[2Jy');
		expect(result.stdout).toMatch(/sub +x\\u001b.*⚠ contains control or invisible characters/);
		expect(result.stdout).toMatch(/not fetched because/);
	});
});

describe('the TUI outside a terminal', () => {
	it('says so in a sentence and points to the one-shot commands', async () => {
		const result = await runCli([], {env});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('needs a terminal');
		expect(result.stderr).toContain('print-access-token');
	});
});

describe('help and version', () => {
	it('--version prints the package version, and inspect --help states its exit status', async () => {
		const {version} = JSON.parse(await readFile('package.json', 'utf8')) as {version: string};
		expect(await runCli(['--version'])).toMatchObject({code: 0, stdout: `${version}\n`});
		const help = await runCli(['inspect', '--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toMatch(/Exit status: 0 when the token decodes[\s\S]*1 when its signature or times make it invalid/);
	});
});
