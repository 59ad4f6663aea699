// npm run bench: tokscope against its peers on this machine, in one run, alternating, against the same local emulator.
// Prints medians and ratios against the targets of issue 6. A report, not a test: it exits 0 even when a target is missed.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {cpus, tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const cli = join(root, 'dist/cli.js');
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);

function startEmulator() {
	return new Promise((done, fail) => {
		const child = spawn(node, [cli, 'emulator', '--lifetime', '3600'], {stdio: ['ignore', 'pipe', 'inherit']});
		let out = '';
		child.stdout.on('data', chunk => {
			out += chunk;
			if (!out.includes('Ctrl-C')) return;
			const env = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map(match => [match[1], match[2]]));
			done({child, env});
		});
		child.on('exit', code => fail(new Error(`the emulator exited (${code})`)));
	});
}

function time(argv, env) {
	const started = process.hrtime.bigint();
	const result = spawnSync(argv[0], argv.slice(1), {env, encoding: 'utf8'});
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	if (result.status !== 0 || !result.stdout.startsWith('ya29.')) throw new Error(`${argv.join(' ')} failed: ${result.stderr.trim().split('\n').at(-1)}`);
	return ms;
}

const median = values => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function probe(spec) {
	const output = execFileSync('python3', [join(root, 'scripts/bench/pty-probe.py'), JSON.stringify(spec)], {encoding: 'utf8'});
	const result = JSON.parse(output.trim().split('\n')[0]);
	if (result.error) throw new Error(result.error);
	return result;
}

function cpuSeconds(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

function rssMb(pid) {
	return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}

/** Live view at rest: CPU share of one core and resident memory, sampled over 10 s after it settles. */
function idle(env) {
	return new Promise((done, fail) => {
		const spec = {argv: [node, cli, '--source', 'metadata', '--audience', 'https://bench.run.app'], env, first: 'ID fetched', hold_ms: 20_000};
		const child = spawn('python3', [join(root, 'scripts/bench/pty-probe.py'), JSON.stringify(spec)], {stdio: ['ignore', 'pipe', 'inherit']});
		child.stdout.once('data', async chunk => {
			const {pid, error} = JSON.parse(String(chunk).split('\n')[0]);
			if (error) return fail(new Error(error));
			await new Promise(wait => setTimeout(wait, 5000));
			const before = cpuSeconds(pid);
			await new Promise(wait => setTimeout(wait, 10_000));
			done({cpuPercent: ((cpuSeconds(pid) - before) / 10) * 100, rssMb: rssMb(pid)});
		});
	});
}

async function roundTripMs(env) {
	const url = `http://${env.GCE_METADATA_HOST}/computeMetadata/v1/instance/service-accounts/default/identity?audience=https://bench.run.app`;
	const samples = [];
	for (let index = 0; index < 10; index++) {
		const started = performance.now();
		await (await fetch(url, {headers: {'Metadata-Flavor': 'Google'}})).text();
		samples.push(performance.now() - started);
	}
	return median(samples);
}

const {child: emulator, env: emulatorEnv} = await startEmulator();
const config = mkdtempSync(join(tmpdir(), 'tokscope-bench-gcloud-'));
const env = {PATH: process.env.PATH, HOME: process.env.HOME, ...emulatorEnv};
const gcloudEnv = {...env, CLOUDSDK_CONFIG: config, CLOUDSDK_CORE_DISABLE_PROMPTS: '1', CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1'};
const hasGcloud = spawnSync('gcloud', ['--version'], {stdio: 'ignore'}).status === 0;

try {
	const contenders = {
		tokscope: () => time([node, cli, 'print-access-token', '--source', 'metadata'], env),
		bare: () => time([node, join(root, 'scripts/bare-library.mjs')], env),
		...(hasGcloud ? {gcloud: () => time(['gcloud', 'auth', 'print-access-token'], gcloudEnv)} : {}),
	};
	const times = Object.fromEntries(Object.keys(contenders).map(name => [name, []]));
	for (const run of Object.values(contenders)) run(); // warm the file cache once
	for (let round = 0; round < rounds; round++) for (const [name, run] of Object.entries(contenders)) times[name].push(run());
	const m = Object.fromEntries(Object.entries(times).map(([name, samples]) => [name, median(samples)]));

	const firstFrames = [];
	for (let index = 0; index < rounds; index++) firstFrames.push(probe({argv: [node, cli], env, first: 'Pick a credential source'}).first_ms);
	const trip = await roundTripMs(env);
	const refreshes = [];
	for (let index = 0; index < 3; index++) {
		const result = probe({argv: [node, cli, '--source', 'metadata', '--audience', 'https://bench.run.app'], env, first: 'ID fetched', then: [{send: 'r', wait: 'on request', after_ms: 1500}]});
		refreshes.push(result.steps_ms[0]);
	}
	const rest = await idle(env);

	const line = (label, value, target, pass) => console.log(`${pass ? 'PASS' : 'FAIL'}  ${label.padEnd(46)} ${value.padEnd(26)} target ${target}`);
	console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${rounds} alternating rounds`);
	console.log(`medians: tokscope print-access-token ${m.tokscope.toFixed(0)} ms, bare google-auth-library ${m.bare.toFixed(0)} ms${hasGcloud ? `, gcloud auth print-access-token ${m.gcloud.toFixed(0)} ms` : ' (gcloud absent: skipped)'}`);
	if (hasGcloud) line('print-access-token vs gcloud', `${(m.tokscope / m.gcloud).toFixed(3)} ×`, '≤ 0.15 ×', m.tokscope / m.gcloud <= 0.15);
	line('print-access-token vs bare library script', `${(m.tokscope / m.bare).toFixed(3)} ×`, '≤ 1.0 ×', m.tokscope / m.bare <= 1);
	line('TUI first frame (pty, median)', `${median(firstFrames).toFixed(0)} ms`, '≤ 250 ms', median(firstFrames) <= 250);
	line('live view at rest: CPU', `${rest.cpuPercent.toFixed(2)} % of a core`, '≤ 2 %', rest.cpuPercent <= 2);
	line('live view at rest: resident memory', `${rest.rssMb.toFixed(0)} MB`, '≤ 120 MB', rest.rssMb <= 120);
	const over = median(refreshes) - trip;
	line('r → refreshed claims on screen, over round trip', `${over.toFixed(1)} ms (trip ${trip.toFixed(1)} ms)`, '≤ 20 ms', over <= 20);
} finally {
	emulator.kill('SIGTERM');
	rmSync(config, {recursive: true, force: true});
}
