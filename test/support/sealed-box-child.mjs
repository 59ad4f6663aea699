// The inside of the sealed box (test/support/sealed-box.ts): started by `unshare -n -m` in a network namespace of its
// own (only `lo`, no route out) and a mount namespace of its own, it makes the box look like a Compute Engine VM —
// the metadata server's address on lo, Google's names in /etc/hosts, a resolver where nothing answers, DMI files
// saying Google — then opens the listening sockets and hands them to the test process, which serves them with the
// emulator. It stays alive so that commands can join its namespaces (nsenter -t PID -n -m).
import {execFileSync} from 'node:child_process';
import {createServer} from 'node:net';

const [dir] = process.argv.slice(2);
const run = (command, ...args) => execFileSync(command, args, {stdio: ['ignore', 'ignore', 'pipe']});

try {
	run('ip', 'link', 'set', 'lo', 'up');
	run('ip', 'addr', 'add', '169.254.169.254/32', 'dev', 'lo');
	// Private mounts: nothing done here is seen outside the box.
	run('mount', '--make-rprivate', '/');
	run('mount', '--bind', `${dir}/hosts`, '/etc/hosts');
	run('mount', '--bind', `${dir}/resolv.conf`, '/etc/resolv.conf');
	// The files google-auth-library, gcloud and Python's google-auth read to decide "this is Compute Engine".
	run('mount', '-t', 'tmpfs', '-o', 'size=1m', 'tokscope-box-dmi', '/sys/class');
	run('mkdir', '-p', '/sys/class/dmi/id');
	run('cp', '-r', `${dir}/dmi/.`, '/sys/class/dmi/id/');
} catch (error) {
	process.send?.({failed: `${error.message.split('\n')[0]} ${String(error.stderr ?? '').trim()}`.trim()});
	process.exit(1);
}

const listenOn = (host, port) =>
	new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen({host, port}, () => resolve(server));
	});

try {
	// Every Google name maps to a 127.x address of its own (see hosts); one listener on :443 answers them all, by Host.
	const https = await listenOn('0.0.0.0', 443);
	const metadata = await listenOn('169.254.169.254', 80);
	// Once handed over, this process lets go of them: a socket both processes listened on would be shared between them.
	for (const [name, server] of [
		['https', https],
		['metadata', metadata],
	])
		process.send({listening: name}, server, () => server.close());
} catch (error) {
	process.send?.({failed: error.message});
	process.exit(1);
}
// Ends with the test process: its IPC channel closing is the signal.
process.on('disconnect', () => process.exit(0));
