import {errorLines, TokscopeError} from '../core/errors.js';
import {testIssuersOf} from '../core/google.js';
import {terminalSafeJson, visibleOnce} from '../core/terminal-safe.js';
import {runDiagnosis} from '../doctor/diagnose.js';
import {networkIo} from '../doctor/network.js';
import {exitCodeOf, formatReport} from '../doctor/report.js';
import {readStdin} from '../io/stdin.js';
import {writeOut} from '../io/stdout.js';
import type {Terminal} from '../io/terminal.js';
import type {TokenSource} from '../sources/types.js';

// `tokscope doctor URL`: reads the token (`--token -`), runs the diagnosis (doctor/diagnose.ts) on the network, and
// prints its report; the exit status says accepted (0), rejected (1) or no call made (2).

export interface DoctorCommandOptions {
	url: string;
	source: TokenSource;
	/** The token itself, or `-` to read it from stdin. */
	token?: string;
	audience?: string;
	method?: string;
	probe: boolean;
	json: boolean;
	debug: boolean;
	/** performance.now() when the command began, before its modules loaded. */
	startedAt?: number;
}

/** `tokscope doctor`: exit 0 when the service accepted the call, 1 when it refused it, 2 when no call was made. */
export async function runDoctor(options: DoctorCommandOptions, terminal: Terminal): Promise<number> {
	const {stdin, stdout, stderr} = terminal;
	let token = options.token;
	if (token === '-') {
		try {
			if (stdin.isTTY) {
				throw new TokscopeError('usage', '--token - reads the token from standard input, which is a terminal.', {
					hint: 'Pipe it in: tokscope print-identity-token --audiences=URL | tokscope doctor URL --token -',
				});
			}
			token = await readStdin(stdin, 256 * 1024);
		} catch (error) {
			if (!(error instanceof TokscopeError)) throw error;
			stderr.write(errorLines(error));
			return 2;
		}
	}
	const {url, source, audience, method, probe: probing} = options;
	const testIssuers = testIssuersOf(terminal.env);
	const {report, timings} = await runDiagnosis({url, source, token, audience, method, probe: probing, testIssuers}, networkIo);
	const printed = options.json ? `${terminalSafeJson(report, 2)}\n` : report.status !== null ? formatReport(report, new Date()) : '';
	try {
		if (printed) await writeOut(printed, 'the doctor report', stdout);
	} catch (error) {
		if (!(error instanceof TokscopeError)) throw error;
		// The verdict never reached the reader: neither 0 nor 1 may claim it did.
		stderr.write(errorLines(error));
		return 2;
	}
	if (report.error !== undefined) {
		// Already shown as formatError shows every error: terminal-safe, secrets redacted.
		stderr.write(`tokscope: ${report.error}\n`);
		if (report.hint) stderr.write(`  ${report.hint}\n`);
		for (const cause of report.causes) {
			stderr.write(`  ${cause.code}: ${visibleOnce(cause.sentence)}${cause.fix ? ` Fix: ${visibleOnce(cause.fix)}` : ''}\n`);
		}
	}
	if (options.debug) {
		const total = options.startedAt === undefined ? timings.totalMs : performance.now() - options.startedAt;
		const own = total - timings.mintMs - timings.callMs - timings.keysMs;
		const ms = (value: number) => `${value.toFixed(1)} ms`;
		stderr.write(
			`tokscope debug: doctor took ${ms(total)}: minting ${ms(timings.mintMs)}, calls ${ms(timings.callMs)}, ` +
				`key fetches ${ms(timings.keysMs)}, its own work ${ms(own)}\n`,
		);
	}
	return exitCodeOf(report);
}
