// A program at rest, read from /proc: CPU share of one core and resident memory.
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** utime + stime of the process, in seconds. */
function cpuSeconds(pid) {
	// The command name (field 2) may hold spaces; the fields we want are counted from after its closing parenthesis.
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function residentMb(pid) {
	return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}

/** Lets the process settle for settleMs, then samples it over sampleMs: {cpuPercent, rssMb} (RSS at the end, the steady state). */
export async function sampleAtRest(pid, {settleMs = 5000, sampleMs = 10_000} = {}) {
	await sleep(settleMs);
	const before = cpuSeconds(pid);
	const started = performance.now();
	await sleep(sampleMs);
	const cpuPercent = ((cpuSeconds(pid) - before) / ((performance.now() - started) / 1000)) * 100;
	return {cpuPercent, rssMb: residentMb(pid)};
}
