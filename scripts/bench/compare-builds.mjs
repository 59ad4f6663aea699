// Which build edits pay: builds the bundle once per variant (TOKSCOPE_BUILD_WITHOUT, see scripts/build.mjs) and
// measures the variants round-robin in one run, so a shared machine that slows down slows them alike.
//
// BENCH_VARIANTS='all;without=lazy-segmenters;without=ink-output-caches,yoga-without-fetch' BENCH_ROUNDS=5 \
//   BENCH_ONLY=frame,token,rest node scripts/bench/compare-builds.mjs
// A variant's words: `all` (as shipped), `without=a,b` (patches left out), `env:NAME=value` (set for its runs).
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {startEmulator} from './emulator.mjs';
import {sampleAtRest} from './idle.mjs';
import {hold, probe} from './pty.mjs';
import {machineLine} from './report.mjs';
import {median, timeCommand} from './timing.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const node = process.execPath;
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const only = (process.env.BENCH_ONLY ?? 'frame,token,rest').split(',');
const scratch = mkdtempSync(join(tmpdir(), 'tokscope-compare-'));

const variants = (process.env.BENCH_VARIANTS ?? 'all').split(';').map((spec, index) => {
	const words = spec.split(' ').filter(Boolean);
	const without = words.find(word => word.startsWith('without='))?.slice('without='.length) ?? '';
	const env = Object.fromEntries(words.filter(word => word.startsWith('env:')).map(word => word.slice(4).split('=')));
	const dist = join(scratch, `v${index}`, 'dist');
	const buildEnv = {...process.env, TOKSCOPE_BUILD_WITHOUT: without};
	execFileSync(node, [join(root, 'scripts/build.mjs'), '--outdir', dist], {stdio: 'inherit', env: buildEnv});
	return {name: spec, cli: join(dist, 'cli.js'), env, frame: [], token: [], cpu: [], rss: []};
});

const emulator = await startEmulator(node, variants[0].cli);
const base = {PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', LANG: 'C.UTF-8', ...emulator.env};
const audience = 'https://bench-abc123-uc.a.run.app';
try {
	// One unmeasured run of each warms the file cache (and a compile cache, where one is on).
	const picker = 'Pick a credential source';
	for (const variant of variants) await probe({argv: [node, variant.cli], env: {...base, ...variant.env}, first: picker});
	for (let round = 0; round < rounds; round++) {
		process.stderr.write(`compare: round ${round + 1} of ${rounds}\n`);
		for (const variant of variants) {
			const env = {...base, ...variant.env};
			if (only.includes('frame')) variant.frame.push((await probe({argv: [node, variant.cli], env, first: picker})).first_ms);
			if (only.includes('token')) variant.token.push(timeCommand([node, variant.cli, 'print-access-token', '--source', 'metadata'], env));
			if (only.includes('rest')) {
				const argv = [node, variant.cli, '--demo', '--source', 'metadata', '--audience', audience];
				const {pid, done} = await hold({argv, env: {...env, TOKSCOPE_DEMO_LIFETIME: '3600'}, first: 'ID fetched'}, 16_000);
				const rest = await sampleAtRest(pid);
				await done;
				variant.cpu.push(rest.cpuPercent);
				variant.rss.push(rest.rssMb);
			}
		}
	}
} finally {
	emulator.stop();
	rmSync(scratch, {recursive: true, force: true});
}
const cell = (values, digits, unit) => (values.length ? `${median(values).toFixed(digits)} ${unit}` : '—').padEnd(10);
const header = ['frame', 'token', 'rest CPU'].map(name => name.padEnd(10)).join(' ');
const lines = [machineLine(rounds), `${'variant'.padEnd(60)} ${header} rest RSS`];
for (const v of variants) {
	lines.push(`${v.name.padEnd(60)} ${cell(v.frame, 0, 'ms')} ${cell(v.token, 0, 'ms')} ${cell(v.cpu, 2, '%')} ${cell(v.rss, 0, 'MB')}`);
}
process.stdout.write(`${lines.join('\n')}\n`);
