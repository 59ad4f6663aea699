import {execFileSync} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../support/cli.js';

// Hostile files where tokscope reads a key or a credential (--key-file, $GOOGLE_APPLICATION_CREDENTIALS, inspect
// --key): a FIFO with no writer, an endless device, a directory, a huge file, a broken private key. Each is one
// sentence naming the file, quickly; none hangs or fills memory.

let dir: string;
const paths: Record<string, string> = {};
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tokscope-hostile-files-'));
	paths.fifo = join(dir, 'key.fifo');
	execFileSync('mkfifo', [paths.fifo]);
	paths.urandom = '/dev/urandom';
	paths.directory = dir;
	paths.huge = join(dir, 'huge.json');
	await writeFile(paths.huge, `{"type":"service_account","pad":"${'a'.repeat(1_100_000)}"}`);
});
afterAll(() => rm(dir, {recursive: true, force: true}));

const expected: Record<string, RegExp> = {
	fifo: /is not a regular file \(it is a named pipe \(FIFO\)\), so it was not read\b/,
	urandom: /is not a regular file \(it is a device\), so it was not read\b/,
	directory: /is not a regular file \(it is a directory\), so it was not read\b/,
	huge: /holds more than 1 MiB, far more than it should, so it was not read\b/,
};

describe.each(Object.keys(expected))('a %s as a key file', kind => {
	const check = (result: {code: number | null; stdout: string; stderr: string; ms: number}) => {
		expect(result.stdout).toBe('');
		// One sentence naming the file, and at most a hint under it.
		const [sentence, ...rest] = result.stderr.trimEnd().split('\n');
		expect(rest.every(line => line.startsWith('  '))).toBe(true);
		expect(sentence).toMatch(expected[kind]!);
		expect(sentence).toContain(paths[kind]);
		expect(result.code).toBe(1);
		expect(result.ms).toBeLessThan(8000);
	};

	it('--key-file', {tags: ['timing']}, async () =>
		check(await runCli(['print-access-token', '--key-file', paths[kind]!], {timeoutMs: 15_000})),
	);

	it('$GOOGLE_APPLICATION_CREDENTIALS', {tags: ['timing']}, async () => {
		check(await runCli(['print-access-token'], {env: {GOOGLE_APPLICATION_CREDENTIALS: paths[kind]}, timeoutMs: 15_000}));
	});

	it('inspect --key', {tags: ['timing']}, async () => {
		const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const token = `${part({alg: 'RS256'})}.${part({iss: 'https://issuer.example', exp: 4_000_000_000})}.c2ln`;
		check(await runCli(['inspect', token, '--key', paths[kind]!], {timeoutMs: 15_000}));
	});
});

describe('a service-account key whose private_key is broken', () => {
	it(
		'says the key in the file cannot be read, naming the file, not the token endpoint in OpenSSL’s words',
		{tags: ['timing']},
		async () => {
			const path = join(dir, 'broken-key.json');
			await writeFile(
				path,
				JSON.stringify({
					type: 'service_account',
					client_email: 'sa@p.iam.gserviceaccount.com',
					private_key: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n',
					token_uri: 'http://127.0.0.1:1/token',
				}),
			);
			const result = await runCli(['print-access-token', '--key-file', path]);
			expect(result.stderr).toMatch(
				new RegExp(`^tokscope: The private_key in ${path.replaceAll('/', '\\/')} cannot be read as a private key`),
			);
			expect(result.stderr).not.toMatch(/OAuth token endpoint|DECODER|error:1E08010C/);
			expect(result.code).toBe(1);
			expect(await readFile(path, 'utf8')).toContain('not a key');
		},
	);
});

describe('impersonated_service_account files nested in each other', () => {
	const nest = async (depth: number, name: string) => {
		// The innermost caller is a user whose token endpoint refuses at once: the tests are about what comes before.
		let credential: Record<string, unknown> = {
			type: 'authorized_user',
			client_id: 'id',
			client_secret: 'secret',
			refresh_token: '1//refresh',
			token_uri: 'http://127.0.0.1:1/token',
		};
		const url = 'http://127.0.0.1:1/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com:generateAccessToken';
		for (let level = 0; level < depth; level++)
			credential = {type: 'impersonated_service_account', service_account_impersonation_url: url, source_credentials: credential};
		const path = join(dir, name);
		await writeFile(path, JSON.stringify(credential));
		return path;
	};

	it('200 deep: one sentence naming the bound, before anything is sent', async () => {
		const path = await nest(200, 'nested-200.json');
		const result = await runCli(['print-access-token'], {env: {GOOGLE_APPLICATION_CREDENTIALS: path}, timeoutMs: 15_000});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toMatch(
			new RegExp(`^tokscope: The credential file ${path} nests impersonated_service_account credentials more than 5 deep\\b[^\\n]*\\.\\n`),
		);
		expect(result.stderr).not.toContain('warning');
	});

	it('a few deep: each warning said once', async () => {
		const path = await nest(3, 'nested-3.json');
		const result = await runCli(['print-access-token'], {env: {GOOGLE_APPLICATION_CREDENTIALS: path}, timeoutMs: 15_000});
		const warnings = result.stderr.split('\n').filter(line => line.startsWith('tokscope: warning:'));
		expect(warnings).toEqual([expect.stringMatching(/sa@p\.iam\.gserviceaccount\.com is impersonating itself/)]);
		expect(result.code).toBe(1);
	});
});
