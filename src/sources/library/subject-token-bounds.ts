import {IdentityPoolClient, PluggableAuthClient, type AuthClient} from 'google-auth-library';
import {ExecutableResponse, ExecutableResponseError} from 'google-auth-library/build/src/auth/executable-response.js';
import {stat} from 'node:fs/promises';
import {TokscopeError} from '../../core/errors.js';
import {formatBytes} from '../../io/http.js';
import {kindOf, maxUserFileBytes} from '../../io/file.js';
import {runBounded} from '../../io/run-bounded.js';
import {explainAuthFailure, fitForSentence} from '../errors.js';
import {keepSentence} from './kept-sentence.js';
import {maxLibraryResponseBytes, requestSignal, waitingOn} from './request-deadline.js';

// A federation config's subject token is read by google-auth-library itself: a credential_source.file read whole (a
// 1 GiB file cost 2.2 GB), an executable whose output is kept whole and which is left running when it hangs (only the
// child is signalled, never what it started). The library offers no limit, so each client is given them here:
// - the file's size is checked before the library opens it (the library then reads it as before, with its formats);
// - what a credential_source.url answers is said of that URL, not of STS;
// - the executable is run by our own handler (io/run-bounded: an output limit, its own process group stopped at the
//   deadline or when tokscope exits), and its answer is read by the library's own ExecutableResponse, so what it
//   accepts is unchanged. Replacing one method keeps the rest of the library's flow (the allow-executables gate, the
//   output_file cache, expiry checks) as it is; wrapping spawn itself would reach into every child the process runs.

interface FileSupplier {
	filePath: string;
	getSubjectToken(context: unknown): Promise<string>;
}

interface UrlSupplier {
	url: string;
	getSubjectToken(context: unknown): Promise<string>;
}

interface ExecutableHandler {
	commandComponents: string[];
	timeoutMillis: number;
	outputFile?: string;
	retrieveResponseFromExecutable(env: Map<string, string>): Promise<ExecutableResponse>;
	retrieveCachedResponse(): Promise<ExecutableResponse | undefined>;
}

/** A federation client whose subject token is read and run within limits; `client` itself, changed. */
export function boundSubjectToken<T extends AuthClient>(client: T): T {
	const inside = client as unknown as {subjectTokenSupplier?: Partial<FileSupplier>; handler?: Partial<ExecutableHandler>};
	if (client instanceof IdentityPoolClient) {
		const supplier = inside.subjectTokenSupplier;
		if (supplier && typeof supplier.filePath === 'string') boundFile(supplier as FileSupplier);
		if (supplier && typeof (supplier as Partial<UrlSupplier>).url === 'string') nameUrl(supplier as unknown as UrlSupplier);
	}
	if (client instanceof PluggableAuthClient) {
		const handler = inside.handler;
		// A library that moved these would run executables without our limits: refuse rather than run unbounded.
		if (!handler || !Array.isArray(handler.commandComponents) || typeof handler.retrieveResponseFromExecutable !== 'function') {
			throw new TokscopeError(
				'auth-failed',
				'This version of google-auth-library runs credential_source executables in a way tokscope cannot bound.',
			);
		}
		boundExecutable(handler as ExecutableHandler);
	}
	return client;
}

function boundFile(supplier: FileSupplier): void {
	const read = supplier.getSubjectToken.bind(supplier);
	supplier.getSubjectToken = keepSentence(async context => {
		await refuseLarge(supplier.filePath, `The subject token file ${supplier.filePath} (credential_source.file)`);
		return read(context);
	});
}

/** What the subject token URL answered is said of it, not of STS, which the library was about to ask. */
function nameUrl(supplier: UrlSupplier): void {
	const read = supplier.getSubjectToken.bind(supplier);
	const endpoint = `The subject token URL ${fitForSentence(supplier.url, 200)} (credential_source.url)`;
	supplier.getSubjectToken = keepSentence(async context => {
		try {
			return await read(context);
		} catch (error) {
			throw explainAuthFailure(error, {want: 'access', via: 'sts', endpoint});
		}
	});
}

function boundExecutable(handler: ExecutableHandler): void {
	const readCache = handler.retrieveCachedResponse.bind(handler);
	handler.retrieveCachedResponse = keepSentence(async () => {
		const file = handler.outputFile;
		if (file) await refuseLarge(file, `The executable's output file ${file} (credential_source.executable.output_file)`);
		return readCache();
	});
	handler.retrieveResponseFromExecutable = keepSentence(async (variables: Map<string, string>) => {
		const [command = '', ...args] = handler.commandComponents;
		const what = `The executable ${command} (credential_source.executable)`;
		const run = await waitingOn(what, () =>
			runBounded(command, args, {
				// As the library runs it: this process's environment and the variables the protocol defines.
				env: {...process.env, ...Object.fromEntries(variables)},
				maxBytes: maxLibraryResponseBytes,
				timeoutMs: handler.timeoutMillis,
				timeoutWhy: 'its timeout_millis',
				signal: requestSignal(),
				what,
			}),
		);
		if (run.code !== 0) {
			const said = fitForSentence(run.stderr.trim().split('\n').at(-1) ?? '', 200);
			throw new TokscopeError('tool-failed', `${what} exited with status ${run.code ?? 'unknown'}${said ? `: ${said}` : ''}.`);
		}
		let json: unknown;
		try {
			json = JSON.parse(run.stdout);
		} catch {
			throw new TokscopeError('tool-failed', `${what} printed something that is not the JSON response Google's libraries expect.`);
		}
		try {
			return new ExecutableResponse(json as ConstructorParameters<typeof ExecutableResponse>[0]);
		} catch (error) {
			if (!(error instanceof ExecutableResponseError)) throw error;
			throw new TokscopeError(
				'tool-failed',
				`${what} printed a response Google's libraries do not accept: ${fitForSentence(error.message, 200)}.`,
			);
		}
	});
}

/**
 * Refuses a file that is missing, not a regular file (a FIFO would block the library's read for ever; the library calls
 * it "does not exist") or past the limit, before anyone reads it; anything else wrong with it is the library's to say.
 */
async function refuseLarge(path: string, what: string): Promise<void> {
	const stats = await stat(path).catch((error: NodeJS.ErrnoException) => error.code);
	if (stats === 'ENOENT') throw new TokscopeError('file', `${what} does not exist.`);
	if (typeof stats !== 'object') return;
	if (!stats.isFile()) throw new TokscopeError('file', `${what} is not a regular file (it is ${kindOf(stats)}), so it was not read.`);
	if (stats.size > maxUserFileBytes) {
		throw new TokscopeError(
			'file',
			`${what} holds more than ${formatBytes(maxUserFileBytes)}, far more than any token, so it was not read.`,
		);
	}
}
