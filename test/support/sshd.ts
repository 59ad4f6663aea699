import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:net';
import {tmpdir, userInfo} from 'node:os';
import {join} from 'node:path';

const sshdPath = '/usr/sbin/sshd';

/** Why a real SSH hop cannot be made here, or undefined when it can. */
export function sshUnavailable(): string | undefined {
	if (!existsSync(sshdPath)) return 'openssh-server is not installed (.ci/run installs it)';
	try {
		execFileSync('ssh', ['-V'], {stdio: 'ignore'});
		execFileSync('ssh-keygen', ['-?'], {stdio: 'ignore'});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'the ssh client is not installed';
	}
	return undefined;
}

async function freePort(): Promise<number> {
	return new Promise(resolve => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => resolve(port));
		});
	});
}

export interface Sshd {
	/** The ssh command that logs in to it, ready for a remote command. */
	sshCommand: string;
	stop(): Promise<void>;
}

/** A throwaway sshd on 127.0.0.1 with its own host key and a key-only login for the current user. */
export async function startSshd(): Promise<Sshd> {
	const dir = await mkdtemp(join(tmpdir(), 'tokscope-sshd-'));
	const port = await freePort();
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'user_key')]);
	await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'user_key.pub')), {mode: 0o600});
	await mkdir('/run/sshd', {recursive: true}).catch(() => undefined);
	const config = join(dir, 'sshd_config');
	await writeFile(
		config,
		[
			`Port ${port}`,
			'ListenAddress 127.0.0.1',
			`HostKey ${join(dir, 'host_key')}`,
			`PidFile ${join(dir, 'sshd.pid')}`,
			`AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
			'PermitRootLogin prohibit-password',
			'PasswordAuthentication no',
			'KbdInteractiveAuthentication no',
			'UsePAM no',
			'StrictModes no',
			'PrintMotd no',
			'PrintLastLog no',
			'',
		].join('\n'),
	);
	const daemon: ChildProcess = spawn(sshdPath, ['-D', '-e', '-f', config], {stdio: ['ignore', 'ignore', 'pipe']});
	let log = '';
	daemon.stderr?.on('data', chunk => (log += chunk));
	const deadline = Date.now() + 5000;
	while (!log.includes('Server listening') && Date.now() < deadline && daemon.exitCode === null)
		await new Promise(resolve => setTimeout(resolve, 50));
	if (!log.includes('Server listening')) {
		daemon.kill();
		throw new Error(`sshd did not start: ${log.trim().split('\n').at(-1) ?? 'no output'}`);
	}
	const user = userInfo().username;
	return {
		// -F /dev/null and IdentitiesOnly keep the user's own ssh config and agent out; BatchMode fails instead of prompting.
		sshCommand: [
			`ssh -t -F /dev/null -p ${port} -i ${join(dir, 'user_key')} -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5`,
			`-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR ${user}@127.0.0.1`,
		].join(' '),
		stop: async () => {
			daemon.kill();
			await rm(dir, {recursive: true, force: true});
		},
	};
}
