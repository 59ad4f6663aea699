// Wall-clock timing of one-shot commands, the way a user waits for them: spawn to exit.
import {spawnSync} from 'node:child_process';

export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Milliseconds from spawn to exit; throws (with the last stderr line, never stdout: it holds a token) unless it
 * printed an access token.
 */
export function timeCommand(argv, env) {
	const started = process.hrtime.bigint();
	const result = spawnSync(argv[0], argv.slice(1), {env, encoding: 'utf8', timeout: 30_000});
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	if (result.status !== 0 || !result.stdout.startsWith('ya29.')) {
		const why = result.error?.message ?? result.stderr.trim().split('\n').at(-1) ?? `exit ${result.status}`;
		throw new Error(`${argv.slice(0, 3).join(' ')} … did not print a token: ${why}`);
	}
	return ms;
}

/**
 * Runs every contender once to warm the file cache, then `rounds` rounds of A B C A B C …, so a machine that
 * slows down mid-run (other jobs on a shared box) slows every contender alike. Returns the samples per name.
 */
export function alternate(contenders, rounds) {
	const samples = Object.fromEntries(Object.keys(contenders).map(name => [name, []]));
	for (const run of Object.values(contenders)) run();
	for (let round = 0; round < rounds; round++) {
		for (const [name, run] of Object.entries(contenders)) samples[name].push(run());
	}
	return samples;
}
