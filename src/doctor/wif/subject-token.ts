import {TokscopeError} from '../../core/errors.js';
import {parseJson} from '../../core/json.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {readUserFile} from '../../io/file.js';
import {httpRequest} from '../../io/http.js';
import {runBounded} from '../../io/run-bounded.js';

// The subject token a federation config names, read as Google's libraries read it (file, URL, executable), so doctor
// can show it decoded and check it before STS sees it. The library reads it again for the real exchange: a URL or an
// executable is asked twice (each hands out a fresh token; nothing is cached between the two).
// The formats: https://cloud.google.com/iam/docs/workload-identity-federation-with-other-providers#create-cred-config
// and the executable protocol of https://google.aip.dev/auth/4117.

/** The most a subject token (or the document holding it) may be: far more than any JWT or SAML assertion. */
const maxSubjectBytes = 1_048_576;
const subjectTimeoutMs = 10_000;

export interface SubjectToken {
	token: string;
	/** Where it came from, in words: "the file /var/run/token", "https://…/token (credential_source.url)". */
	from: string;
}

interface Format {
	type?: string;
	subject_token_field_name?: string;
}

interface CredentialSource {
	file?: string;
	url?: string;
	headers?: Record<string, string>;
	format?: Format;
	executable?: {command?: string; timeout_millis?: number; output_file?: string};
	environment_id?: string;
}

/** The field of a JSON document that holds the token, or the whole text for `text` (the default). */
function fromFormat(text: string, format: Format | undefined, what: string): string {
	if (format?.type !== 'json') return text.trim();
	const field = format.subject_token_field_name ?? '';
	const value = (parseJson(text) as Record<string, unknown> | undefined)?.[field];
	if (typeof value !== 'string' || value === '')
		throw new TokscopeError('bad-answer', `${what} holds no "${terminalSafe(field).slice(0, 60)}" field with the subject token.`);
	return value.trim();
}

/**
 * Reads the subject token: `overrideFile` (--subject-token-file) first, else the config's credential_source. Undefined
 * for AWS and Azure, whose "token" is a signed request built by the library, not a document to read.
 */
export async function readSubjectToken(
	config: Record<string, unknown>,
	env: NodeJS.ProcessEnv,
	overrideFile?: string,
): Promise<SubjectToken | undefined> {
	if (overrideFile !== undefined) {
		const text = await readUserFile(overrideFile, {what: 'The subject token file', maxBytes: maxSubjectBytes});
		return {token: text.trim(), from: `the file ${overrideFile} (--subject-token-file)`};
	}
	const source = (config.credential_source ?? {}) as CredentialSource;
	if (typeof source.file === 'string') {
		const what = `The subject token file ${source.file} (credential_source.file)`;
		const text = await readUserFile(source.file, {what: 'The subject token file', maxBytes: maxSubjectBytes});
		return {token: fromFormat(text, source.format, what), from: `the file ${source.file} (credential_source.file)`};
	}
	if (typeof source.url === 'string') {
		const what = `The subject token URL ${source.url} (credential_source.url)`;
		const answer = await httpRequest(source.url, {
			headers: {...source.headers},
			timeoutMs: subjectTimeoutMs,
			maxBytes: maxSubjectBytes,
			what,
		});
		if (answer.status !== 200) throw new TokscopeError('rejected', `${what} answered HTTP ${answer.status}, not a token.`);
		return {token: fromFormat(answer.body, source.format, what), from: `${source.url} (credential_source.url)`};
	}
	if (source.executable) return readFromExecutable(config, source.executable, env);
	return undefined;
}

async function readFromExecutable(
	config: Record<string, unknown>,
	executable: NonNullable<CredentialSource['executable']>,
	env: NodeJS.ProcessEnv,
): Promise<SubjectToken> {
	const command = executable.command ?? '';
	const what = `The executable ${command} (credential_source.executable)`;
	// Google's libraries run it only when this is set, and so does doctor.
	if (env.GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES !== '1') {
		throw new TokscopeError('file', `${what} is run only with GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1, as Google's libraries require.`);
	}
	const impersonation = typeof config.service_account_impersonation_url === 'string' ? config.service_account_impersonation_url : '';
	const email = /serviceAccounts\/([^/:]+):/.exec(impersonation)?.[1];
	// The variables of the protocol (AIP-4117), as the library sets them; the library splits the command on spaces too.
	const variables: Record<string, string> = {
		GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE: typeof config.audience === 'string' ? config.audience : '',
		GOOGLE_EXTERNAL_ACCOUNT_TOKEN_TYPE: typeof config.subject_token_type === 'string' ? config.subject_token_type : '',
		GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE: '0',
		...(email ? {GOOGLE_EXTERNAL_ACCOUNT_IMPERSONATED_EMAIL: decodeURIComponent(email)} : {}),
		...(executable.output_file ? {GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE: executable.output_file} : {}),
	};
	const [program = '', ...args] = command.split(' ').filter(Boolean);
	const run = await runBounded(program, args, {
		env: {...env, ...variables},
		maxBytes: maxSubjectBytes,
		timeoutMs: executable.timeout_millis ?? 30_000,
		timeoutWhy: 'its timeout_millis',
		what,
	});
	if (run.code !== 0) throw new TokscopeError('tool-failed', `${what} exited with status ${run.code ?? 'unknown'}.`);
	const response = parseJson(run.stdout) as {success?: unknown; id_token?: unknown; saml_response?: unknown; message?: unknown} | undefined;
	if (!response) throw new TokscopeError('tool-failed', `${what} printed something that is not the JSON response of AIP-4117.`);
	if (response.success !== true) {
		const said = typeof response.message === 'string' ? `: ${terminalSafe(response.message).slice(0, 200)}` : '';
		throw new TokscopeError('tool-failed', `${what} answered success: false${said}.`);
	}
	const token = typeof response.id_token === 'string' ? response.id_token : response.saml_response;
	if (typeof token !== 'string' || token === '') throw new TokscopeError('tool-failed', `${what} printed no id_token or saml_response.`);
	return {token, from: `the executable ${command} (credential_source.executable)`};
}
