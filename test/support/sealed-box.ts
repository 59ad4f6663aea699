import {execFile, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe} from 'vitest';
import {googleHostNames, realServiceOrigins, startEmulator, type Emulator, type EmulatorOptions} from '../../src/emulator/index.js';
import type {CliResult} from './cli.js';

// The sealed box: the built CLI runs as on a Compute Engine VM — Google's real host names over HTTPS, the metadata
// server at 169.254.169.254, no overrides in the environment — inside a network namespace with only `lo` (so no packet
// can leave this machine) and a mount namespace whose /etc/hosts, /etc/resolv.conf and DMI files say Google. The
// emulator runs in the test process, in real-names mode, on sockets made inside the box (sealed-box-child.mjs).

const run = promisify(execFile);

/** The emulator's metadata server and every Google and service name, as the box's /etc/hosts lists them. */
export const boxHostNames = [...googleHostNames, ...Object.values(realServiceOrigins).map(origin => new URL(origin).hostname)];

export type BoxOptions = Omit<EmulatorOptions, 'realNames' | 'port'> & {
	/** More names the box's /etc/hosts and certificate list, answered by faults naming their host (real answers replayed). */
	hostNames?: readonly string[];
};

export interface SealedBox {
	emulator: Emulator;
	/** The box's own files: the CA, a home for the commands run inside. */
	dir: string;
	/** The CA every client in the box trusts (made at run time, never committed). */
	caFile: string;
	/** The only variable a command in the box needs: Node's trust in the CA. Add what a test means to add. */
	env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
	/** Runs a program inside the box with exactly the environment given. */
	exec(command: string[], options?: {env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string}): Promise<CliResult>;
	/** Runs the built CLI inside the box (this Node, dist/cli.js). */
	cli(args: string[], options?: {env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number}): Promise<CliResult>;
	/** The words that run a command inside the box from a shell outside it (for tmux). */
	enter(command: string[], env?: NodeJS.ProcessEnv): string[];
	close(): Promise<void>;
}

/** Why the box cannot be made on this machine, or undefined when it can. */
export function boxUnavailable(): string | undefined {
	if (process.platform !== 'linux') return 'the sealed box needs Linux namespaces';
	for (const tool of ['unshare', 'nsenter', 'ip', 'mount', 'openssl'])
		if (spawnSync('which', [tool]).status !== 0) return `the sealed box needs ${tool}, which is not installed`;
	const probe = spawnSync('unshare', [...unshareFlags(), 'true']);
	if (probe.status !== 0) return `this machine does not let a test make namespaces (${String(probe.stderr).trim() || 'unshare failed'})`;
	return undefined;
}

/** As root, plain namespaces; otherwise a user namespace first, where the kernel allows it. */
function unshareFlags(): string[] {
	return process.getuid?.() === 0 ? ['-n', '-m'] : ['-r', '-n', '-m'];
}

function nsenterFlags(pid: number): string[] {
	return process.getuid?.() === 0 ? ['-t', String(pid), '-n', '-m'] : ['-t', String(pid), '-U', '--preserve-credentials', '-n', '-m'];
}

export async function startSealedBox({hostNames = [], ...options}: BoxOptions = {}): Promise<SealedBox> {
	const dir = await mkdtemp(join(tmpdir(), 'tokscope-box-'));
	const names = [...new Set([...boxHostNames, ...hostNames])];
	const tls = await makeCertificates(dir, names);
	await writeBoxFiles(dir, names);
	const {child, handles} = await startChild(dir);
	let emulator: Emulator;
	try {
		emulator = await startEmulator({...options, realNames: {https: {handle: handles.https}, metadata: {handle: handles.metadata}, tls}});
	} catch (error) {
		child.kill();
		throw error;
	}
	const home = join(dir, 'home');
	await mkdir(home, {recursive: true});
	const caFile = join(dir, 'ca.pem');
	const enter = (command: string[], env: NodeJS.ProcessEnv = {}) => [
		'nsenter',
		...nsenterFlags(child.pid!),
		'--',
		'env',
		'-i',
		...Object.entries(env).map(([name, value]) => `${name}=${value ?? ''}`),
		...command,
	];
	const exec: SealedBox['exec'] = (command, execOptions = {}) => {
		const [program, ...args] = enter(command, execOptions.env ?? {});
		return collect(spawn(program!, args, {cwd: execOptions.cwd ?? home, stdio: ['pipe', 'pipe', 'pipe']}), execOptions);
	};
	return {
		emulator,
		dir,
		caFile,
		env: extra => ({NODE_EXTRA_CA_CERTS: caFile, ...extra}),
		exec,
		cli: (args, cliOptions = {}) =>
			exec([process.execPath, resolve('dist/cli.js'), ...args], {...cliOptions, env: cliOptions.env ?? {NODE_EXTRA_CA_CERTS: caFile}}),
		enter,
		close: async () => {
			await emulator.close();
			child.disconnect();
			// A CLI killed with its terminal may still be writing Node's compile cache under the box's home: retried.
			await rm(dir, {recursive: true, force: true, maxRetries: 5});
		},
	};
}

/**
 * One box for the test file that calls it (started before its tests, closed after). In CI the box is required: a test
 * file that cannot make it fails with one sentence. Elsewhere its tests are skipped, with one line saying why.
 */
export function describeInBox(name: string, body: (box: SealedBox) => void, options: BoxOptions = {}): void {
	const why = boxUnavailable();
	if (why && process.env.CI !== 'true') {
		describe.skip(`${name} (skipped: ${why})`, () => body(undefined as never));
		return;
	}
	describe(name, () => {
		let box: SealedBox | undefined;
		beforeAll(async () => {
			if (why) throw new Error(`CI needs the sealed box, and ${why}.`);
			box = await startSealedBox(options);
		}, 60_000);
		afterAll(() => box?.close());
		body(
			new Proxy({} as SealedBox, {
				get: (_, key) => {
					if (!box) throw new Error('the box is read before it started (use it inside a test)');
					return Reflect.get(box, key);
				},
			}),
		);
	});
}

async function startChild(dir: string): Promise<{child: ChildProcess; handles: {https: object; metadata: object}}> {
	const script = resolve('test/support/sealed-box-child.mjs');
	const child = spawn('unshare', [...unshareFlags(), process.execPath, script, dir], {stdio: ['ignore', 'ignore', 'pipe', 'ipc']});
	let stderr = '';
	child.stderr!.on('data', chunk => (stderr += chunk));
	const handles: Partial<Record<'https' | 'metadata', object>> = {};
	await new Promise<void>((done, fail) => {
		const timer = setTimeout(() => fail(new Error(`the sealed box did not start within 20 s ${stderr}`)), 20_000);
		child.on('message', (message: {listening?: 'https' | 'metadata'; failed?: string}, handle?: object) => {
			if (message.failed) return fail(new Error(`the sealed box could not be made: ${message.failed}`));
			if (message.listening && handle) handles[message.listening] = handle;
			if (handles.https && handles.metadata) {
				clearTimeout(timer);
				done();
			}
		});
		child.on('exit', code => fail(new Error(`the sealed box ended (exit ${code}) before it was ready ${stderr}`)));
	});
	return {child, handles: handles as {https: object; metadata: object}};
}

/** A CA made now, and one certificate it signs for every name the box serves. Nothing here outlives the box. */
async function makeCertificates(dir: string, hostNames: readonly string[]): Promise<{key: string; cert: string}> {
	const openssl = (...args: string[]) => run('openssl', args, {cwd: dir});
	await openssl(
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-days',
		'2',
		'-subj',
		'/CN=tokscope sealed box CA',
		'-keyout',
		'ca.key',
		'-out',
		'ca.pem',
	);
	const names = [...hostNames, '*.a.run.app', '*.run.app', '*.cloudfunctions.net', '*.gateway.dev', '*.googleapis.com'];
	await writeFile(
		join(dir, 'server.ext'),
		[
			'basicConstraints=CA:FALSE',
			'keyUsage=digitalSignature,keyEncipherment',
			'extendedKeyUsage=serverAuth',
			`subjectAltName=${names.map(name => `DNS:${name}`).join(',')}`,
		].join('\n'),
	);
	await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=googleapis.com', '-keyout', 'server.key', '-out', 'server.csr');
	await openssl(
		'x509',
		'-req',
		'-in',
		'server.csr',
		'-CA',
		'ca.pem',
		'-CAkey',
		'ca.key',
		'-CAcreateserial',
		'-days',
		'2',
		'-extfile',
		'server.ext',
		'-out',
		'server.pem',
	);
	return {key: await readFile(join(dir, 'server.key'), 'utf8'), cert: await readFile(join(dir, 'server.pem'), 'utf8')};
}

/** /etc/hosts (a 127.x address per name, the metadata server's own), a resolver where nothing listens, and DMI files. */
async function writeBoxFiles(dir: string, hostNames: readonly string[]): Promise<void> {
	const hosts = [
		'127.0.0.1 localhost',
		'::1 localhost',
		'169.254.169.254 metadata.google.internal metadata',
		...hostNames.map((name, index) => `127.1.${Math.floor(index / 250)}.${(index % 250) + 1} ${name}`),
	];
	await writeFile(join(dir, 'hosts'), `${hosts.join('\n')}\n`);
	// Port 53 of loopback inside the box: nothing listens, so an unknown name fails at once instead of waiting.
	await writeFile(join(dir, 'resolv.conf'), 'nameserver 127.0.0.53\noptions timeout:1 attempts:1\n');
	// What a Compute Engine VM's firmware says (gcp-metadata reads bios_vendor and bios_date; gcloud and Python's
	// google-auth read product_name).
	const dmi = join(dir, 'dmi');
	await mkdir(dmi);
	const files = {bios_vendor: 'Google', bios_date: '10/16/2025', product_name: 'Google Compute Engine', sys_vendor: 'Google'};
	for (const [name, value] of Object.entries(files)) await writeFile(join(dmi, name), `${value}\n`);
}

function collect(child: ChildProcess, options: {input?: string; timeoutMs?: number}): Promise<CliResult> {
	const started = Date.now();
	return new Promise((done, fail) => {
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', chunk => (stdout += chunk));
		child.stderr!.on('data', chunk => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
		child.on('error', fail);
		child.on('close', code => {
			clearTimeout(timer);
			done({code, stdout, stderr, ms: Date.now() - started});
		});
		child.stdin!.on('error', () => {});
		child.stdin!.end(options.input ?? '');
	});
}
