import type {Cause} from '../core/cause.js';
import {TokscopeError} from '../core/errors.js';
import {command} from '../core/shell-quote.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {expectTokenShape, expiryFromLifetime} from '../core/token-shape.js';
import type {RawToken, TokenType} from '../core/types.js';
import {audienceOf, describeFound, scopesOf, type Credential, type Found} from './credential.js';
import {defaultTimeoutMs, formatSeconds, timed, withDeadline} from '../io/deadline.js';
import {HttpFailure, httpRequest} from '../io/http.js';
import {explainEndpointFailure} from './errors.js';
import {jwtExpiry} from './token-claims.js';
import {metadataHost} from './endpoints.js';
import type {IdTokenRequest, SourceBody, SourceOptions} from './types.js';

/**
 * Short, for the picker's detection and for ADC off Google's machines: an absent metadata server must be reported in
 * well under 3 s, not after the library's 4 × 3 s retries.
 */
export const metadataProbeMs = 1500;

/**
 * How long to wait for the metadata server: the full deadline where it should be there (the user named it, or set
 * GCE_METADATA_HOST, or the firmware says this is Google's machine, as gcp-metadata's and Python google-auth's residency
 * checks read it), the short probe elsewhere. A busy VM's metadata server can take seconds; gcloud and Python wait.
 */
export async function metadataWaitMs(env: NodeJS.ProcessEnv, full = defaultTimeoutMs): Promise<number> {
	if (env.GCE_METADATA_HOST || env.GCE_METADATA_IP || env.GCE_METADATA_ROOT) return full;
	const {readFile} = await import('node:fs/promises');
	for (const file of ['/sys/class/dmi/id/product_name', '/sys/class/dmi/id/bios_vendor']) {
		const text = await readFile(file, 'utf8').catch(() => '');
		if (/Google/.test(text.slice(0, 200))) return full;
	}
	return metadataProbeMs;
}

/** What the metadata server said when it had no token to give: a sentence, and where known, how to mend it. */
export interface MetadataAbsent {
	absent: string;
	hint?: string;
	/** What it names in doctor's cause codes (a VM with no service account): doctor reports it. */
	causes?: Cause[];
}

/** The service account's email, or a sentence saying why the metadata server is not there. */
export async function probeMetadata(
	env: NodeJS.ProcessEnv = process.env,
	timeoutMs = metadataProbeMs,
): Promise<{email: string; host: string; projectId?: string} | MetadataAbsent> {
	const host = metadataHost(env);
	// Both at once: the project costs nothing extra in time, and a missing one is no reason to fail.
	const [answer, project] = await Promise.all([
		getAnswer(`http://${host}/computeMetadata/v1/instance/service-accounts/default/email`, timeoutMs).catch(
			(error: unknown) => error as Error,
		),
		getAnswer(`http://${host}/computeMetadata/v1/project/project-id`, timeoutMs).catch(() => undefined),
	]);
	if (answer instanceof Error) return {absent: whyAbsent(answer, host, timeoutMs)};
	if (answer.flavor !== 'Google') return {absent: `${host} answered, but not as a Google metadata server`};
	if (answer.status === 404) return noServiceAccount(host, timeoutMs);
	if (answer.status !== 200) return {absent: `the metadata server at ${host} answered HTTP ${answer.status}`};
	const projectId = project?.status === 200 && project.flavor === 'Google' ? terminalSafe(project.body.trim()) || undefined : undefined;
	return {email: terminalSafe(answer.body.trim()), host, projectId};
}

/**
 * A metadata server with no service-accounts/default: a VM created with no service account (--no-service-account).
 * The fix names this VM, read from the same server
 * (https://cloud.google.com/compute/docs/access/create-enable-service-accounts-for-instances#changeserviceaccountandscopes).
 */
async function noServiceAccount(rawHost: string, timeoutMs: number): Promise<MetadataAbsent> {
	const host = terminalSafe(rawHost);
	const read = (path: string) =>
		getAnswer(`http://${rawHost}/computeMetadata/v1/instance/${path}`, timeoutMs).then(
			answer => (answer.status === 200 ? terminalSafe(answer.body.trim().split('/').pop() ?? '') : undefined),
			() => undefined,
		);
	const [name, zone] = await Promise.all([read('name'), read('zone')]);
	const instance = name && /^[a-z][-a-z0-9]{0,62}$/.test(name) ? name : 'INSTANCE';
	const where = zone && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(zone) ? zone : 'ZONE';
	const absent = `this VM has no service account attached (the metadata server at ${host} has no service-accounts/default)`;
	const fix = command(
		...['gcloud', 'compute', 'instances', 'set-service-account', instance, `--zone=${where}`],
		...['--service-account=SA_EMAIL', '--scopes=cloud-platform'],
	);
	const sentence = `The metadata server has no token to give: ${absent}.`;
	return {absent, hint: `Attach one with the VM stopped: ${fix}`, causes: [{code: 'no-service-account', sentence, fix}]};
}

/** What happened when the probe got no answer: a refused connection is not a silence, and neither is a flood. */
function whyAbsent(error: Error, rawHost: string, timeoutMs: number): string {
	const host = terminalSafe(rawHost);
	const reason = error instanceof HttpFailure ? error.code : 'request-failed';
	const elsewhere = '(not on GCE, GKE or Cloud Run?)';
	if (reason === 'refused') return `nothing is listening at ${host} (connection refused) ${elsewhere}`;
	if (reason === 'no-such-host') return `${host} does not resolve ${elsewhere}`;
	if (reason === 'unreachable') return `${host} cannot be reached (no route) ${elsewhere}`;
	if (reason === 'timeout') return `no metadata server answered at ${host} within ${formatSeconds(timeoutMs)} ${elsewhere}`;
	return `${host} did not answer as a metadata server: ${(error as HttpFailure).detail ?? error.message}`;
}

interface Answer {
	status: number;
	flavor: string | undefined;
	body: string;
	/** Where a redirect points: never followed, only named. */
	location?: string;
}

/** A metadata answer is a few hundred bytes; 64 KiB is far beyond any, and the most a hostile server can make us hold. */
const maxMetadataBytes = 64 * 1024;

/** One GET in the metadata server's dialect, within one overall deadline (a trickling server fails at it too). */
async function getAnswer(url: string, timeoutMs: number): Promise<Answer> {
	const answer = await httpRequest(url, {
		headers: {'Metadata-Flavor': 'Google'},
		timeoutMs,
		maxBytes: maxMetadataBytes,
		what: 'The metadata server',
	});
	const flavor = answer.headers['metadata-flavor'];
	return {status: answer.status, flavor: Array.isArray(flavor) ? flavor[0] : flavor, body: answer.body, location: answer.headers.location};
}

// The token calls below rely on the source having probed once (metadataSource / ADC); a server that vanishes later
// is caught by the deadline rather than a second probe on every refresh.
//
// Both token reads are plain GETs, made here with node:http as gcp-metadata would make them (same header, same
// retries) rather than through Compute: loading google-auth-library, gaxios and fetch costs a one-shot command more
// than the request itself (npm run bench, README "Speed"). The library is loaded only to impersonate on top, and even
// then the caller's token comes from these GETs, at the host the source was given (Compute reads process.env).

/** `account` is the email default stands for (the probe read it): a refusal's fix names it. */
export async function metadataAccessToken(
	env: NodeJS.ProcessEnv,
	scopes: string[] | undefined,
	timeoutMs?: number,
	account?: string,
): Promise<RawToken> {
	const params: Record<string, string> = scopes?.length ? {scopes: scopes.join(',')} : {};
	const {body, latencyMs, fetchedAt} = await metadataGet(env, 'token', params, 'access', timeoutMs, account);
	let answer: {access_token?: unknown; expires_in?: unknown};
	try {
		answer = JSON.parse(body) as typeof answer;
	} catch {
		throw new TokscopeError('bad-answer', 'The metadata server answered the token request with something that is not JSON.');
	}
	if (typeof answer.access_token !== 'string' || !answer.access_token)
		throw new TokscopeError('bad-answer', 'The metadata server returned no access token.');
	const token = expectTokenShape(answer.access_token, 'access', 'The metadata server');
	const expiresAt = expiryFromLifetime(answer.expires_in, fetchedAt, 'The metadata server');
	return {token, type: 'access', scopes: scopes ?? [], expiresAt, fetchedAt, latencyMs};
}

export async function metadataIdToken(
	env: NodeJS.ProcessEnv,
	request: IdTokenRequest,
	timeoutMs?: number,
	account?: string,
): Promise<RawToken> {
	// The metadata server puts the email only in `full` tokens: --include-email asks for one, and is never dropped.
	if (request.includeEmail && request.format === 'standard') {
		const sentence =
			'The metadata server’s standard ID tokens carry no email: drop --token-format standard to get it with --include-email.';
		throw new TokscopeError('usage', sentence);
	}
	// Encoded, unlike Compute.fetchIdToken, which cuts an audience containing & or ?.
	const params = {
		audience: request.audience,
		format: request.format ?? (request.includeEmail ? 'full' : 'standard'),
		...(request.includeLicenses ? {licenses: 'TRUE'} : {}),
	};
	const {body, latencyMs, fetchedAt} = await metadataGet(env, 'identity', params, 'id', timeoutMs, account);
	const token = expectTokenShape(body.trim(), 'id', 'The metadata server');
	return {token, type: 'id', audience: request.audience, expiresAt: await jwtExpiry(token), fetchedAt, latencyMs};
}

async function metadataGet(
	env: NodeJS.ProcessEnv,
	property: 'token' | 'identity',
	params: Record<string, string>,
	want: TokenType,
	timeoutMs = defaultTimeoutMs,
	account?: string,
): Promise<{body: string; latencyMs: number; fetchedAt: Date}> {
	const query = new URLSearchParams(params).toString();
	const url = `http://${metadataHost(env)}/computeMetadata/v1/instance/service-accounts/default/${property}${query ? `?${query}` : ''}`;
	// A failure to ask (a deadline, a refused connection) is already a sentence with its code.
	const {value, latencyMs, fetchedAt} = await timed(() => withDeadline(getWithRetries(url, timeoutMs), timeoutMs, 'The metadata server'));
	if (value.status !== 200) {
		const {status, location} = value;
		// A redirect is named, never followed (io/http follows none).
		if (status >= 300 && status < 400) {
			const redirect = {kind: 'redirect' as const, status, url: url.split('?')[0], location: location && URL.parse(location, url)?.href};
			throw explainEndpointFailure(redirect, {want, via: 'metadata'});
		}
		// Its words name the cause (a GKE binding, an account not attached); KUBERNETES_SERVICE_HOST says this is a GKE pod.
		const headers: Record<string, string> = value.flavor ? {'metadata-flavor': value.flavor} : {};
		const failure = {kind: 'answer' as const, status, body: value.body, headers};
		const context = {
			want,
			via: 'metadata' as const,
			onGke: Boolean(env.KUBERNETES_SERVICE_HOST),
			...(account ? {serviceAccount: account} : {}),
		};
		throw explainEndpointFailure(failure, context);
	}
	return {body: value.body, latencyMs, fetchedAt};
}

/** As gcp-metadata does: a dropped connection, a 5xx or a 429 is tried again three times, 100, 200 then 400 ms apart. */
async function getWithRetries(url: string, timeoutMs: number): Promise<Answer> {
	for (let attempt = 0; ; attempt++) {
		const last = attempt === 3;
		try {
			const answer = await getAnswer(url, timeoutMs);
			if (last || !(answer.status >= 500 || answer.status === 429)) return answer;
		} catch (error) {
			// A flood or a stall would only repeat itself: asking again just makes the user wait longer for the same sentence.
			if (last || (error instanceof HttpFailure && (error.code === 'too-big' || error.code === 'timeout'))) throw error;
		}
		await new Promise(resolve => setTimeout(resolve, 100 * 2 ** attempt));
	}
}

/** The metadata server as a credential: its service account and both kinds of token. */
export function metadataCredential(probe: {email: string; projectId?: string}, found: Found): Credential {
	const {env, timeoutMs} = found;
	return {
		describe: async () => describeFound(found, {principal: probe.email, projectId: probe.projectId, idTokens: true, warnings: []}),
		accessToken: async request => metadataAccessToken(env, scopesOf(request), timeoutMs, probe.email),
		idToken: async request => metadataIdToken(env, {...request, audience: audienceOf(request)}, timeoutMs, probe.email),
	};
}

/** The metadata source: probed once (briefly: an absent server is a sentence in well under 3 s), then asked directly. */
export async function metadataSource(options: SourceOptions): Promise<SourceBody> {
	const env = options.env ?? process.env;
	// Chosen by name: wait as long as any request may, not the picker's short probe.
	const probe = await probeMetadata(env, options.timeoutMs ?? defaultTimeoutMs);
	if ('absent' in probe) {
		if (probe.hint) {
			const sentence = `The metadata server has no token to give: ${probe.absent}.`;
			throw new TokscopeError('no-credential', sentence, {hint: probe.hint, ...(probe.causes ? {causes: probe.causes} : {})});
		}
		const hint = 'Set GCE_METADATA_HOST if it lives elsewhere.';
		throw new TokscopeError('no-credential', `The metadata server is not reachable: ${probe.absent}.`, {hint});
	}
	const origin = `the metadata server at ${probe.host}`;
	return metadataCredential(probe, {id: options.source, origin, details: [], env, timeoutMs: options.timeoutMs});
}
