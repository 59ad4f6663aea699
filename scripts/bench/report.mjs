// The bench's printed table: one line per target with PASS/FAIL, and the machine it ran on.
import {readFileSync} from 'node:fs';
import {availableParallelism} from 'node:os';

export function machineLine(rounds) {
	const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown CPU';
	return `machine: ${availableParallelism()} CPUs (nproc), ${model}, Node ${process.version}, ${rounds} alternating rounds`;
}

/** A target line: `PASS  what  measured  target …`. A null pass means "not measured" (a note says why). */
export function targetLine(what, measured, target, pass) {
	const verdict = pass === null ? 'SKIP' : pass ? 'PASS' : 'FAIL';
	return `${verdict}  ${what.padEnd(50)} ${measured.padEnd(36)} target ${target}`;
}

export const ms = value => `${value.toFixed(0)} ms`;
