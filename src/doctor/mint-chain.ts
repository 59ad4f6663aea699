import {decodeToken} from '../core/decode.js';
import {formatError} from '../core/errors.js';
import {cloudPlatformScope, isServiceAccountEmail} from '../core/google.js';
import {maskToken} from '../core/redact.js';
import {command} from '../core/shell-quote.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {formatTime} from '../core/times.js';
import type {RawToken, TokenView} from '../core/types.js';
import {startWire} from '../app/wire.js';
import type {WireExchange} from '../ui/services.js';
import type {CredentialFile} from '../sources/credential-file.js';
import {createSource, type SourceOptions, type TokenSource} from '../sources/index.js';
import type {SourceInfo} from '../sources/types.js';
import {readAnswer} from '../core/answer.js';
import type {Cause} from '../core/cause.js';
import {mintFailureCauses} from './causes.js';
import {mintingCauses, type MintContext} from '../core/mint-causes.js';
import type {MintReport, MintStep, MintStepKind} from './mint-report.js';
import {mergeFindings, type Finding} from './wif/findings.js';
import type {Policy} from './wif/policy.js';
import type {Provider} from './wif/provider.js';
import {iamResourcePrefix} from './wif/provider-name.js';
import {readSubjectToken} from './wif/subject-token.js';
import {refreshCauses, signInNotes, userSignIn, type UserSignIn} from './user-credential.js';

// `tokscope doctor` without a URL: why can't I get a token? The source mints as print-* does (the real library, the
// real endpoints); every HTTP exchange it makes is watched (node:diagnostics_channel, as the live view's wire pane
// watches them) and shown as one step with its input, its answer and its time. What needs no request is a step too:
// which credential was found and why, and a federation config's subject token, read and decoded here. At the first
// failure, the causes are read from the answer that refused (mint-causes.ts), as `doctor URL` reads a service's.

export interface MintDiagnosisOptions {
	source: SourceOptions;
	/** Mint an ID token for this audience; without it, an access token. */
	audience?: string;
	scopes?: string[];
	/** Domain-wide delegation: the access token acts as this Workspace user. */
	subject?: string;
	/** The provider's description (--provider), read: its mapping and condition are run on the subject token. */
	provider?: Provider;
	/** The service account's IAM policy (--sa-policy), read: does a member match the mapped attributes? */
	policy?: Policy;
	now?: () => Date;
}

export async function diagnoseMinting(options: MintDiagnosisOptions): Promise<MintReport> {
	const env = options.source.env ?? process.env;
	const now = options.now ?? (() => new Date());
	const target: MintReport['target'] = options.audience
		? {kind: 'mint', source: options.source.source, want: 'id-token', audience: options.audience}
		: {kind: 'mint', source: options.source.source, want: 'access-token'};
	const steps: MintStep[] = [];
	const failed = (error: unknown, causes: Cause[] = []): MintReport => {
		const {message, hint} = formatError(error);
		const refusal = steps.find(step => !step.ok && step.status !== undefined);
		return {
			url: refusal?.url ?? null,
			method: refusal?.method ?? null,
			status: refusal?.status ?? null,
			accepted: false,
			target,
			token: null,
			causes: causes.length > 0 ? causes : [{code: 'unknown', sentence: message, fix: null}],
			steps,
			error: message,
			...(hint ? {hint} : {}),
		};
	};

	// 1. The credential: which one the source finds, and why that one (the ADC links it skipped).
	const source = createSource(options.source);
	let info: SourceInfo;
	const credentialStarted = performance.now();
	try {
		info = await source.describe();
	} catch (error) {
		steps.push({
			step: 'credential',
			title: 'Find the credential',
			ok: false,
			ms: elapsed(credentialStarted),
			input: sourceInput(options.source),
			answer: {error: formatError(error).message},
		});
		// The rules can be judged without a credential: a token saved from CI and the provider's description suffice.
		const findings = await federationStandalone(options, env, steps, now());
		return failed(error, mergeFindings(mintFailureCauses(error), findings));
	}
	steps.push(credentialStep(options.source, info, elapsed(credentialStarted)));
	const file = info.credentialType ? await credentialFileOf(options.source) : undefined;
	// A user's sign-in: how old it is, and whether an app in Testing would end it soon.
	const signIn = await userSignIn(source.id, file, env);
	if (signIn) {
		const {age, warning} = signInNotes(signIn, now());
		const credential = steps[0]!;
		if (age) credential.answer['signed in'] = age;
		if (warning) credential.notes = [...(credential.notes ?? []), warning];
	}

	// 2. A federation config's subject token, read and decoded (the library reads it again for the exchange), and the
	// federation's rules judged on it without a request.
	let subjectUrl: string | undefined;
	let findings: Finding[] = [];
	if (file?.type === 'external_account') {
		const started = performance.now();
		subjectUrl = options.source.subjectTokenFile
			? undefined
			: ((file.json.credential_source as {url?: unknown} | undefined)?.url as string | undefined);
		try {
			const subject = await readSubjectToken(file.json, env, options.source.subjectTokenFile);
			if (subject) steps.push(subjectStep(subject.token, subject.from, elapsed(started), now()));
			findings = await federationStep(steps, {
				audience: typeof file.json.audience === 'string' ? file.json.audience : undefined,
				token: subject?.token,
				options,
				serviceAccount: impersonatedAccount(file.json),
				now: now(),
			});
		} catch (error) {
			steps.push({
				step: 'subject-token',
				title: 'Read the subject token',
				ok: false,
				ms: elapsed(started),
				input: {from: subjectOrigin(file.json)},
				answer: {error: formatError(error).message},
			});
			return failed(error, mintFailureCauses(error));
		}
	} else if (options.provider || options.source.subjectTokenFile) {
		findings = await federationStandalone(options, env, steps, now());
	}

	// 3. The mint itself, every exchange watched.
	const wire = startWire();
	const from = new Date();
	const mintStarted = performance.now();
	let raw: RawToken | undefined;
	let failure: unknown;
	try {
		raw = options.audience
			? await source.idToken({audience: options.audience, includeEmail: true})
			: await source.accessToken({scopes: options.scopes, ...(options.subject ? {subject: options.subject} : {})});
	} catch (error) {
		failure = error;
	}
	const mintMs = elapsed(mintStarted);
	const exchanges = wire.between(from, new Date());
	wire.stop();
	// The subject-token URL was read above already; the library's second read adds nothing to show.
	const shown = exchanges.filter(exchange => !subjectUrl || !exchange.url.startsWith(subjectUrl));
	const requestSteps = shown.map(exchange => withKnownInput(exchangeStep(exchange), file, info, options));

	if (raw) {
		steps.push(...requestSteps);
		if (source.id === 'gcloud' || requestSteps.length === 0) steps.push(toolStep(source, mintMs, true));
		const view = viewOf(raw);
		steps.push(mintedStep(raw, view, info, now()));
		const last = requestSteps.at(-1);
		return {
			url: last?.url ?? null,
			method: last?.method ?? null,
			status: last?.status ?? null,
			accepted: true,
			target,
			token: tokenOf(view, info),
			// What the rules say even though STS let the token through (the emulator's STS without a provider does).
			causes: mergeFindings([], findings),
			steps,
		};
	}

	// The first exchange that failed is where the chain broke; one without an answer (a refused connection) counts too.
	const breakAt = requestSteps.findIndex(step => !step.ok);
	if (breakAt >= 0) {
		steps.push(...requestSteps.slice(0, breakAt + 1));
		const broken = shown[breakAt]!;
		const step = requestSteps[breakAt]!;
		if (step.status === undefined) return failed(failure, mintFailureCauses(failure));
		const answer = readAnswer({status: step.status, headers: {}, body: broken.responseBody ?? ''});
		const said = userFixes(mintingCauses(answer, mintContext(step.step, source, info, options, env)), answer, signIn, now());
		const causes = said.map(cause => (cause.code === 'dwd-not-authorised' ? delegationCause(options, file, info) : cause));
		return failed(failure, mergeFindings(causes.length > 0 ? causes : mintFailureCauses(failure), findings));
	}
	// Nothing on the wire failed: the failure is in a program (gcloud, an executable) or in what tokscope checks.
	steps.push(...requestSteps, {...toolStep(source, mintMs, false), answer: {error: formatError(failure).message}});
	return failed(failure, mergeFindings(mintFailureCauses(failure), findings));
}

/**
 * For a user's credential: a refused refresh token's causes in order of likelihood, and signing in again with the tool
 * that made this very credential (a file of tokscope's own sign-in is renewed by it, not by gcloud).
 */
function userFixes(causes: Cause[], answer: ReturnType<typeof readAnswer>, signIn: UserSignIn | undefined, now: Date): Cause[] {
	if (!signIn) return causes;
	const refresh = refreshCauses(answer, signIn, now);
	const fixed = causes.map(cause =>
		cause.code === 'reauth-required' || cause.code === 'testing-app-refresh-expired' ? {...cause, fix: signIn.signInAgain} : cause,
	);
	return [...refresh, ...fixed.filter(cause => !refresh.some(first => first.code === cause.code))];
}

/**
 * Domain-wide delegation refused: the client ID and the scopes to authorise, as the Admin console asks for them
 * (https://support.google.com/a/answer/162106). A key file names its client ID; an impersonated account's is its
 * unique ID, which gcloud tells.
 */
function delegationCause(options: MintDiagnosisOptions, file: CredentialFile | undefined, info: SourceInfo): Cause {
	const scopes = (options.scopes?.length ? options.scopes : [cloudPlatformScope]).join(',');
	const account = info.principal ?? 'SA_EMAIL';
	// The key's own client ID only when the key's account is the one acting (not the caller of an impersonation).
	const keyClient = file?.type === 'service_account' && file.json.client_email === info.principal ? file.json.client_id : undefined;
	const clientId = typeof keyClient === 'string' ? keyClient : undefined;
	return {
		code: 'dwd-not-authorised',
		sentence:
			`Domain-wide delegation to ${options.subject ?? 'the user'} is not authorised: a Workspace super admin adds client ID ` +
			`${clientId ?? `of ${account} (its unique ID)`} with the scopes ${scopes} at Security › API controls › Domain-wide ` +
			'delegation (https://admin.google.com/ac/owl/domainwidedelegation); it can take hours to apply.',
		fix: clientId ? null : command('gcloud', 'iam', 'service-accounts', 'describe', account, '--format=value(uniqueId)'),
	};
}

/** The federation's rules judged on the subject token (a step of its own); its findings, for the causes. */
async function federationStep(
	steps: MintStep[],
	facts: {audience?: string; token?: string; options: MintDiagnosisOptions; serviceAccount?: string; now: Date},
): Promise<Finding[]> {
	const {options} = facts;
	if (!options.provider && !options.policy && facts.audience === undefined) return [];
	// The CEL evaluator loads only for a federation.
	const {evaluateFederation} = await import('./wif/evaluate.js');
	const verdict = evaluateFederation({
		...(facts.audience !== undefined ? {audience: facts.audience} : {}),
		...(facts.token !== undefined ? {token: facts.token} : {}),
		...(options.provider ? {provider: options.provider} : {}),
		...(options.policy ? {policy: options.policy} : {}),
		...(facts.serviceAccount ? {serviceAccount: facts.serviceAccount} : {}),
		now: facts.now,
	});
	const input: Record<string, string> = {};
	if (options.provider) input.provider = options.provider.name;
	if (options.policy) input.policy = `${options.policy.bindings.length} binding(s) of ${facts.serviceAccount ?? 'the service account'}`;
	steps.push({
		step: 'federation',
		title: 'Check the federation rules (no request)',
		ok: verdict.findings.every(finding => finding.weight < 90),
		ms: null,
		input,
		answer: verdict.answer,
	});
	return verdict.findings;
}

/** Without a federation config: the token saved with --subject-token-file against the --provider file. */
async function federationStandalone(
	options: MintDiagnosisOptions,
	env: NodeJS.ProcessEnv,
	steps: MintStep[],
	now: Date,
): Promise<Finding[]> {
	if (!options.provider && !options.source.subjectTokenFile) return [];
	let token: string | undefined;
	if (options.source.subjectTokenFile) {
		const started = performance.now();
		const subject = await readSubjectToken({}, env, options.source.subjectTokenFile);
		if (subject) {
			steps.push(subjectStep(subject.token, subject.from, elapsed(started), now));
			token = subject.token;
		}
	}
	const audience = options.provider ? `${iamResourcePrefix}${options.provider.name}` : undefined;
	return await federationStep(steps, {...(audience ? {audience} : {}), ...(token ? {token} : {}), options, now});
}

/** The service account a federation config impersonates, from its service_account_impersonation_url. */
function impersonatedAccount(json: Record<string, unknown>): string | undefined {
	const url = typeof json.service_account_impersonation_url === 'string' ? json.service_account_impersonation_url : '';
	const email = /serviceAccounts\/([^/:]+):generateAccessToken$/.exec(url)?.[1];
	return email ? decodeURIComponent(email) : undefined;
}

function elapsed(started: number): number {
	return Math.round(performance.now() - started);
}

function sourceInput(options: SourceOptions): Record<string, string> {
	const input: Record<string, string> = {source: options.source};
	if (options.keyFile) input['key file'] = options.keyFile;
	if (options.impersonate?.length) input.impersonate = options.impersonate.join(', ');
	if (options.clientSecret) input['client secret'] = options.clientSecret;
	return input;
}

function credentialStep(options: SourceOptions, info: SourceInfo, ms: number): MintStep {
	const answer: Record<string, string> = {found: info.origin};
	if (info.credentialType) answer.type = info.credentialType;
	if (info.principal) answer.principal = info.principal;
	if (info.caller) answer.caller = info.caller;
	info.details.forEach((detail, index) => (answer[index === 0 ? 'why' : `why (${index + 1})`] = detail));
	return {
		step: 'credential',
		title: 'Find the credential',
		ok: true,
		ms,
		input: sourceInput(options),
		answer,
		...(info.warnings.length > 0 ? {notes: info.warnings} : {}),
	};
}

/** The file behind the source's credential, to read a federation config's subject token; undefined when there is none. */
async function credentialFileOf(options: SourceOptions): Promise<CredentialFile | undefined> {
	const env = options.env ?? process.env;
	try {
		if (options.source === 'adc' || options.source === 'impersonate') {
			const resolution = await (await import('../sources/adc.js')).resolveAdc(env);
			return resolution.link === 'metadata' ? undefined : resolution.file;
		}
		const path = options.keyFile ?? env.GOOGLE_APPLICATION_CREDENTIALS;
		return path ? await (await import('../sources/credential-file.js')).readCredentialFile(path) : undefined;
	} catch {
		// describe() has read it already and said what is wrong with it.
		return undefined;
	}
}

function subjectOrigin(json: Record<string, unknown>): string {
	const source = (json.credential_source ?? {}) as {file?: string; url?: string; executable?: {command?: string}};
	return source.file ?? source.url ?? source.executable?.command ?? 'credential_source';
}

function subjectStep(token: string, from: string, ms: number, now: Date): MintStep {
	const view = decodeToken(token);
	const claims = view.claims ?? {};
	const answer: Record<string, string> = {token: `${view.header ? 'a JWT' : 'not a JWT'}, ${maskToken(token)}`};
	for (const name of ['iss', 'sub', 'aud'] as const) if (claims[name] !== undefined) answer[name] = claimText(claims[name]);
	if (view.issuedAt) answer.iat = formatTime(view.issuedAt, now);
	if (view.expiresAt) answer.exp = formatTime(view.expiresAt, now);
	return {step: 'subject-token', title: 'Read the subject token', ok: true, ms, input: {from}, answer};
}

export function claimText(value: unknown): string {
	return terminalSafe(typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 300);
}

const stepTitles: Record<MintStepKind, string> = {
	credential: 'Find the credential',
	'subject-token': 'Read the subject token',
	federation: 'Check the federation rules (no request)',
	'token-endpoint': 'OAuth token endpoint',
	sts: 'Security Token Service (token exchange)',
	impersonation: 'IAM Credentials (impersonation)',
	metadata: 'Metadata server',
	request: 'Request',
	tool: 'Mint',
	minted: 'The token',
};

/** Which endpoint an exchange asked, by its address (a request body is not recorded before Node 22.12). */
function exchangeKind(exchange: WireExchange): MintStepKind {
	const url = URL.parse(exchange.url);
	const path = url?.pathname ?? '';
	if (path.startsWith('/computeMetadata/')) return 'metadata';
	if (/:(generateAccessToken|generateIdToken|signJwt)$/.test(path)) return 'impersonation';
	if (url?.hostname.startsWith('sts.') || path === '/v1/token') return 'sts';
	if (exchange.method === 'POST' && /token$/.test(path)) return 'token-endpoint';
	return 'request';
}

/** The request's fields worth showing, by name: a form's or a JSON body's, never a secret (the wire redacted those). */
const shownFields = [
	'grant_type',
	'audience',
	'scope',
	'subject_token_type',
	'requested_token_type',
	'delegates',
	'lifetime',
	'includeEmail',
	'target_audience',
];

function exchangeStep(exchange: WireExchange): MintStep {
	const kind = exchangeKind(exchange);
	const url = exchange.url.split('?')[0] ?? exchange.url;
	const input: Record<string, string> = {};
	for (const [name, value] of Object.entries(bodyFields(exchange.requestBody))) if (shownFields.includes(name)) input[name] = value;
	const answer: Record<string, string> = {};
	const ok = exchange.status !== undefined && exchange.status < 400 && exchange.error === undefined;
	if (exchange.error !== undefined) answer.error = exchange.error;
	else if (exchange.status !== undefined && exchange.status >= 400) {
		const read = readAnswer({status: exchange.status, headers: {}, body: exchange.responseBody ?? ''});
		if (read.oauth) answer.error = read.oauth.subtype ? `${read.oauth.error} (${read.oauth.subtype})` : read.oauth.error;
		if (read.message) answer.message = read.message;
	} else {
		for (const [name, value] of Object.entries(bodyFields(exchange.responseBody))) {
			if (['expires_in', 'expireTime', 'token_type', 'issued_token_type', 'scope'].includes(name)) answer[name] = value;
			else if (/token/i.test(name)) answer[name] = '(a token, not shown)';
		}
	}
	return {
		step: kind,
		title: stepTitles[kind],
		ok,
		ms: exchange.latencyMs ?? null,
		method: exchange.method,
		url,
		...(exchange.status !== undefined ? {status: exchange.status} : {}),
		input,
		answer,
	};
}

/**
 * What the request carried, as the credential says it (a request body is recorded only from Node 22.12): the STS
 * exchange's audience and token type, the account impersonated, the grant a key or a refresh token makes.
 */
function withKnownInput(step: MintStep, file: CredentialFile | undefined, info: SourceInfo, options: MintDiagnosisOptions): MintStep {
	const known: Record<string, string> = {};
	const json = file?.json ?? {};
	const text = (value: unknown) => (typeof value === 'string' ? terminalSafe(value).slice(0, 300) : undefined);
	if (step.step === 'sts') {
		Object.assign(known, {audience: text(json.audience), subject_token_type: text(json.subject_token_type)});
	} else if (step.step === 'impersonation') {
		const target = /serviceAccounts\/([^/:]+):/.exec(step.url ?? '')?.[1];
		if (target) known['service account'] = decodeURIComponent(target);
		if (options.subject && step.url?.endsWith(':signJwt')) known.sub = options.subject;
		if (options.audience) known.audience = options.audience;
	} else if (step.step === 'token-endpoint') {
		if (options.subject) known.sub = options.subject;
		if (file?.type === 'service_account' && info.credentialType === 'service_account') {
			known.grant = `urn:ietf:params:oauth:grant-type:jwt-bearer (an assertion signed with key ${text(json.private_key_id) ?? '?'})`;
			known.iss = text(json.client_email) ?? '?';
		} else if (typeof json.refresh_token === 'string' || json.type === 'impersonated_service_account') {
			const client = (json.source_credentials as Record<string, unknown> | undefined)?.client_id ?? json.client_id;
			known.grant = `refresh_token (OAuth client ${text(client) ?? '?'})`;
		}
	}
	const input = {...step.input};
	for (const [name, value] of Object.entries(known)) if (value !== undefined && input[name] === undefined) input[name] = value;
	return {...step, input};
}

/** The fields of a form or JSON body, each as text. */
function bodyFields(body: string | undefined): Record<string, string> {
	if (!body) return {};
	const trimmed = body.trim();
	if (trimmed.startsWith('{')) {
		try {
			const json = JSON.parse(trimmed) as Record<string, unknown>;
			return Object.fromEntries(Object.entries(json).map(([name, value]) => [name, claimText(value)]));
		} catch {
			return {};
		}
	}
	if (!/^[\w.-]+=/.test(trimmed)) return {};
	return Object.fromEntries([...new URLSearchParams(trimmed)].map(([name, value]) => [name, terminalSafe(value).slice(0, 300)]));
}

/** A mint with no HTTP of ours to show: gcloud's own program, or a failure before any request. */
function toolStep(source: TokenSource, ms: number, ok: boolean): MintStep {
	const title = source.id === 'gcloud' ? 'gcloud CLI (gcloud auth print-access-token)' : `Mint with ${source.label}`;
	return {step: 'tool', title, ok, ms, input: {}, answer: {}};
}

function viewOf(raw: RawToken): TokenView {
	const view = decodeToken(raw.token);
	return !view.expiresAt && raw.expiresAt ? {...view, expiresAt: raw.expiresAt} : view;
}

function mintedStep(raw: RawToken, view: TokenView, info: SourceInfo, now: Date): MintStep {
	const answer: Record<string, string> = {token: `${view.kind}, ${maskToken(raw.token)}`};
	const email = view.claims?.email;
	answer.principal = typeof email === 'string' ? terminalSafe(email) : (info.principal ?? 'unknown');
	if (view.claims?.aud !== undefined) answer.aud = claimText(view.claims.aud);
	if (raw.scopes?.length) answer.scopes = raw.scopes.join(' ');
	if (view.expiresAt) answer.expires = formatTime(view.expiresAt, now);
	return {step: 'minted', title: 'The token', ok: true, ms: null, input: {}, answer};
}

function tokenOf(view: TokenView, info: SourceInfo): MintReport['token'] {
	const claims = view.claims ?? {};
	const aud = claims.aud;
	return {
		kind: view.kind,
		audience: typeof aud === 'string' || Array.isArray(aud) ? (aud as string | string[]) : null,
		issuer: typeof claims.iss === 'string' ? terminalSafe(claims.iss) : null,
		principal: typeof claims.email === 'string' ? terminalSafe(claims.email) : (info.principal ?? null),
		expiresAt: view.expiresAt?.toISOString() ?? null,
	};
}

/** What mint-causes needs to word its fixes: which endpoint refused, whose credential, which account. */
function mintContext(
	kind: MintStepKind,
	source: TokenSource,
	info: SourceInfo,
	options: MintDiagnosisOptions,
	env: NodeJS.ProcessEnv,
): MintContext {
	const via: MintContext['via'] = kind === 'impersonation' ? 'iam' : kind === 'sts' ? 'sts' : kind === 'metadata' ? 'metadata' : 'oauth';
	const type = info.credentialType ?? '';
	const credential: MintContext['credential'] =
		type === 'service_account' || source.id === 'metadata'
			? 'service-account'
			: type === 'external_account'
				? 'external'
				: type.includes('authorized_user') || source.id === 'gcloud' || source.id === 'login'
					? 'user'
					: undefined;
	return {
		via,
		...(credential ? {credential} : {}),
		sourceId: source.id,
		...(isServiceAccountEmail(info.principal) ? {serviceAccount: info.principal} : {}),
		// What was asked: the scopes given, or cloud-platform, as the sources default to.
		scopes: options.scopes?.length ? options.scopes : [cloudPlatformScope],
		onGke: Boolean(env.KUBERNETES_SERVICE_HOST),
	};
}
