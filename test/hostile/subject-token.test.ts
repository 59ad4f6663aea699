import {execFileSync, spawn} from 'node:child_process';
import {chmod, readFile, writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {loopbackOnly, runCli} from '../support/cli.js';
import {useFixture} from '../support/fixture.js';

// Reads tokscope does not make itself: google-auth-library reads a federation config's credential_source.file and runs
// its executable. Each is bounded all the same: a 1 GiB file is not read, an executable that prints without end is
// stopped at 1 MiB, one that hangs is stopped at the deadline with its children, and the sentence names it.

const fixture = useFixture();

async function configWith(name: string, credentialSource: Record<string, unknown>): Promise<string> {
	const base = JSON.parse(await readFile(fixture.files.externalAccount, 'utf8')) as Record<string, unknown>;
	const path = join(fixture.dir, name);
	await writeFile(path, JSON.stringify({...base, credential_source: credentialSource}));
	return path;
}

async function script(name: string, body: string): Promise<string> {
	const path = join(fixture.dir, name);
	await writeFile(path, `#!/bin/sh\n${body}\n`);
	await chmod(path, 0o755);
	return path;
}

const allowed = () => fixture.env({GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES: '1'});

describe('credential_source.file', () => {
	it('a 1 GiB file (sparse) is refused by its size, before the library reads a byte', async () => {
		const huge = join(fixture.dir, 'huge-subject-token');
		execFileSync('truncate', ['-s', '1G', huge]);
		const path = await configWith('huge-file.json', {file: huge});
		const result = await runCli(['print-access-token', '--source', 'external', '--key-file', path], {
			env: fixture.env(),
			timeoutMs: 20_000,
		});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toBe(
			`tokscope: The subject token file ${huge} (credential_source.file) holds more than 1 MiB, far more than any token, ` +
				'so it was not read.\n',
		);
	});
});

describe('credential_source.executable', () => {
	it('one that prints without end is stopped at 1 MiB of output, in one sentence naming it', async () => {
		const endless = await script('endless.sh', 'exec yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
		const path = await configWith('endless.json', {executable: {command: endless, timeout_millis: 30_000}});
		const result = await runCli(['print-access-token', '--source', 'external', '--key-file', path], {env: allowed(), timeoutMs: 20_000});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toBe(
			`tokscope: The executable ${endless} (credential_source.executable) printed more than 1 MiB, far more than any token, ` +
				'so it was stopped.\n',
		);
	});

	it('one that hangs is stopped at the deadline, its children with it, and the sentence names the executable', async () => {
		const pids = join(fixture.dir, 'hanging.pids');
		// A child of its own in the background, as a wrapper script would have: both must be gone when tokscope is.
		const hanging = await script('hanging.sh', `sleep 300 &\necho "$$ $!" > '${pids}'\nwait`);
		const path = await configWith('hanging.json', {executable: {command: hanging}});
		const result = await runCli(['print-access-token', '--source', 'external', '--key-file', path], {env: allowed(), timeoutMs: 20_000});
		expect(result).toMatchObject({code: 1, stdout: ''});
		expect(result.stderr).toBe(
			`tokscope: The executable ${hanging} (credential_source.executable) did not finish within 10 s, so it was stopped.\n`,
		);
		const [shell, sleeper] = (await readFile(pids, 'utf8')).trim().split(' ').map(Number);
		const running = (pid: number) => {
			try {
				process.kill(pid, 0);
				return true;
			} catch {
				return false;
			}
		};
		await vi.waitFor(() => expect([running(shell!), running(sleeper!)]).toEqual([false, false]), {timeout: 2000});
	}, 30_000);

	it('its own timeout_millis, when shorter than the deadline, is named as such', async () => {
		const hanging = await script('hanging-short.sh', 'exec sleep 300');
		const path = await configWith('hanging-short.json', {executable: {command: hanging, timeout_millis: 5000}});
		const result = await runCli(['print-access-token', '--source', 'external', '--key-file', path], {env: allowed(), timeoutMs: 20_000});
		expect(result.stderr).toBe(
			`tokscope: The executable ${hanging} (credential_source.executable) did not finish within 5 s (its timeout_millis), ` +
				'so it was stopped.\n',
		);
	}, 30_000);

	it('still works: a well-behaved executable’s subject token is exchanged', async () => {
		const response = {
			version: 1,
			success: true,
			token_type: 'urn:ietf:params:oauth:token-type:jwt',
			id_token: 'subject-from-executable',
			expiration_time: Math.floor(Date.now() / 1000) + 3600,
		};
		const good = await script('good.sh', `echo '${JSON.stringify(response)}'`);
		const path = await configWith('good.json', {executable: {command: good}});
		const result = await runCli(['print-access-token', '--source', 'external', '--key-file', path], {env: allowed()});
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toMatch(/^ya29\./);
	});
});

describe('the hidden clear-clipboard command', () => {
	it('reads at most 256 KiB on stdin from an endless writer, then says so', async () => {
		const result = await new Promise<{code: number | null; stderr: string}>(done => {
			const child = spawn('sh', ['-c', `yes | exec '${process.execPath}' '${resolve('dist/cli.js')}' clear-clipboard 1`], {
				env: {PATH: process.env.PATH, NODE_OPTIONS: loopbackOnly},
				stdio: ['ignore', 'ignore', 'pipe'],
			});
			let stderr = '';
			child.stderr.on('data', chunk => (stderr += chunk));
			const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
			child.on('close', code => {
				clearTimeout(timer);
				done({code, stderr});
			});
		});
		expect(result).toEqual({
			code: 1,
			stderr: 'tokscope: What was copied (on standard input) holds more than 256 KiB; reading stopped there.\n',
		});
	});
});
