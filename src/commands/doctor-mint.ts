import {decodeToken} from '../core/decode.js';
import {errorLines, TokscopeError} from '../core/errors.js';
import {terminalSafe, terminalSafeJson} from '../core/terminal-safe.js';
import {diagnoseMinting, type MintDiagnosisOptions} from '../doctor/mint-chain.js';
import {formatMintReport, mintExitCode} from '../doctor/mint-report.js';
import {readUserFile} from '../io/file.js';
import {writeOut} from '../io/stdout.js';

export interface MintDoctorOptions extends Omit<MintDiagnosisOptions, 'provider' | 'policy'> {
	json: boolean;
	/** --provider: the provider's description (gcloud iam workload-identity-pools providers describe --format=json). */
	providerFile?: string;
	/** --sa-policy: the service account's policy (gcloud iam service-accounts get-iam-policy --format=json). */
	policyFile?: string;
}

/** `tokscope doctor` without a URL: exit 0 when a token was minted, 1 when an endpoint refused, 2 when nothing could be tried. */
export async function runMintDoctor(options: MintDoctorOptions): Promise<number> {
	let given: Pick<MintDiagnosisOptions, 'provider' | 'policy'>;
	try {
		given = await readGiven(options);
	} catch (error) {
		if (!(error instanceof TokscopeError)) throw error;
		process.stderr.write(errorLines(error));
		return 2;
	}
	const report = await diagnoseMinting({...options, ...given});
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

/** The files the user named, each checked for what it must be: one sentence for each that is not. */
async function readGiven(options: MintDoctorOptions): Promise<Pick<MintDiagnosisOptions, 'provider' | 'policy'>> {
	const tokenFile = options.source.subjectTokenFile;
	if (tokenFile !== undefined) {
		const token = (await readUserFile(tokenFile, {what: 'The subject token file'})).trim();
		let claims: unknown;
		try {
			claims = decodeToken(token).claims;
		} catch {
			claims = undefined;
		}
		if (!claims) {
			throw new TokscopeError(
				'not-a-token',
				`The subject token file ${tokenFile} does not hold a JWT (header.payload.signature, as GitHub Actions, GitLab and ` +
					'other OIDC issuers hand out).',
			);
		}
	}
	if (options.providerFile === undefined && options.policyFile === undefined) return {};
	const [{readProviderFile}, {readPolicyFile}] = await Promise.all([
		import('../doctor/wif/provider.js'),
		import('../doctor/wif/policy.js'),
	]);
	return {
		...(options.providerFile !== undefined ? {provider: await readProviderFile(options.providerFile)} : {}),
		...(options.policyFile !== undefined ? {policy: await readPolicyFile(options.policyFile)} : {}),
	};
}
