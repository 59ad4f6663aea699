import {TokscopeError} from '../core/errors.js';
import {terminalSafe, terminalSafeJson} from '../core/terminal-safe.js';
import {diagnoseMinting, type MintDiagnosisOptions} from '../doctor/mint-chain.js';
import {formatMintReport, mintExitCode} from '../doctor/mint-report.js';
import {writeOut} from '../io/stdout.js';

export interface MintDoctorOptions extends MintDiagnosisOptions {
	json: boolean;
}

/** `tokscope doctor` without a URL: exit 0 when a token was minted, 1 when an endpoint refused, 2 when nothing could be tried. */
export async function runMintDoctor(options: MintDoctorOptions): Promise<number> {
	const report = await diagnoseMinting(options);
	const printed = options.json ? `${terminalSafeJson(report, 2)}\n` : formatMintReport(report, new Date());
	try {
		await writeOut(printed, 'the doctor report');
	} catch (error) {
		if (!(error instanceof TokscopeError)) throw error;
		// The verdict never reached the reader: neither 0 nor 1 may claim it did.
		process.stderr.write(`tokscope: ${terminalSafe(error.message)}\n`);
		return 2;
	}
	return mintExitCode(report);
}
