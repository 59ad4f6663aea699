import {formatDuration} from '../core/times.js';
import {isTokscopeError} from '../core/errors.js';
import {gcloudClientId, iamMember, isServiceAccountEmail, oauthClientIdPattern} from '../core/google.js';
import type {TokenKind, Verification, VerificationCode} from '../core/types.js';
import {clockSkewSeconds, type Evidence} from './evidence.js';
import {command} from '../core/shell-quote.js';
import {productNames, type Target, type TargetKind} from './target.js';
import type {ReadAnswer} from '../core/answer.js';
import {serviceAnswerCauses, type ServiceAnswer} from './answer-causes.js';
import type {Cause, CauseCode} from '../core/cause.js';

// Why a service refused a token, ranked: each rule reads facts (the answer, the token, the clocks) and says one
// sentence plus the fix, with a weight for how sure the evidence makes it. Pure; every rule cites its source.

/** What was sent, as far as the token itself (and its source) tell. */
export interface SentToken {
	kind: TokenKind;
	audiences: string[];
	issuer?: string;
	/** Its issuer is Google's, or one the environment names as standing in for Google (core/google's issuerTrust). */
	trustedIssuer: boolean;
	/** The email the token names, or the source's principal. */
	principal?: string;
	issuedAt?: Date;
	expiresAt?: Date;
	hasEmail: boolean;
	/** Checked only after a refusal (a key fetch costs a round trip). */
	verification?: Verification;
	/** True when doctor minted it; false when the user gave it with --token. */
	minted: boolean;
}

export interface CauseFacts {
	target: Target;
	evidence: Evidence;
	token: SentToken;
	/** When the answer arrived, by this machine's clock. */
	receivedAt: Date;
	/** The answer to the same request without any token, when doctor asked (an accepted GET). */
	anonymous?: Evidence;
	/** What the answer's words say (core/answer.ts); without it only the status and the product's fingerprints count. */
	answer?: ReadAnswer;
	/** The source doctor minted with, when it did. */
	sourceId?: string;
}

/** Clocks disagree by a few seconds all the time; past this a time check can fail (as core/skew.ts judges tokens). */
export const skewToleranceSeconds = 30;

/** The product, from the host name when it tells, else from who answered. */
export function effectiveKind(target: Target, evidence: Evidence | undefined): TargetKind {
	if (target.kind !== 'unknown' || !evidence?.responder) return target.kind;
	switch (evidence.responder) {
		case 'iap':
			return 'iap';
		case 'api-gateway':
			return 'api-gateway';
		case 'google-api':
			return 'google-api';
		case 'cloud-functions':
			return 'cloud-functions';
		case 'google-front-end':
			// The front end's page is the same for Cloud Run and Cloud Functions; a bare origin is most likely Cloud Run.
			return target.url.pathname === '/' ? 'cloud-run' : 'unknown';
	}
}

const idKinds: ReadonlySet<TokenKind> = new Set(['google-id-token', 'id-token', 'jwt']);

interface Weighted extends Cause {
	weight: number;
}

/** The causes, most likely first, each code once. Empty for an accepted call that needed its token. */
export function rankCauses(facts: CauseFacts): Cause[] {
	const found = facts.evidence.accepted ? acceptedCauses(facts) : refusalCauses(facts);
	const best = new Map<CauseCode, Weighted>();
	for (const cause of found) if ((best.get(cause.code)?.weight ?? -1) < cause.weight) best.set(cause.code, cause);
	const ranked = [...best.values()].sort((a, b) => b.weight - a.weight);
	if (!facts.evidence.accepted && !ranked.some(cause => cause.weight >= 50)) ranked.push(unexplained(facts));
	return ranked.map(({code, sentence, fix}) => ({code, sentence, fix}));
}

function acceptedCauses(facts: CauseFacts): Weighted[] {
	// The token got through and the call was still refused (a 400 of setIamPolicy, a 404): what the answer names is the
	// cause (google-api/run-set-iam-policy-all-users-org-policy, google-api/iap-policy-member-without-type-prefix).
	if (facts.answer && facts.evidence.status >= 400) {
		return serviceAnswerCauses(answerFacts(facts, facts.answer, effectiveKind(facts.target, facts.evidence)));
	}
	if (!facts.anonymous?.accepted) return [];
	// allUsers holds the invoker role, or the service does its own auth and let this one through
	// (https://cloud.google.com/run/docs/authenticating/public).
	const kind = effectiveKind(facts.target, facts.evidence);
	const fix =
		kind === 'cloud-run' || kind === 'unknown'
			? command(
					'gcloud',
					'run',
					'services',
					'remove-iam-policy-binding',
					serviceName(facts.target.url),
					...runRegion(facts.target.url),
					'--member=allUsers',
					'--role=roles/run.invoker',
				)
			: null;
	return [
		{
			code: 'no-token-needed',
			weight: 100,
			sentence:
				`The service answered HTTP ${facts.anonymous.status} without any token too: it allows unauthenticated calls, so it needs none ` +
				'(if it should be private, take allUsers off its invoker role).',
			fix,
		},
	];
}

function refusalCauses(facts: CauseFacts): Weighted[] {
	const {evidence} = facts;
	if (evidence.status === 407) {
		return [
			{
				code: 'unknown',
				weight: 100,
				sentence:
					'A proxy between this machine and the service asked for its own credentials (HTTP 407): the request never reached the service.',
				fix: null,
			},
		];
	}
	const kind = effectiveKind(facts.target, evidence);
	// First, so that a cause the answer names wins a tie with the same code guessed from the status.
	const named = facts.answer ? serviceAnswerCauses(answerFacts(facts, facts.answer, kind)) : [];
	const causes = [...named, ...(kind === 'google-api' ? googleApiCauses(facts, named.length > 0) : idTokenCauses(facts, kind))];
	causes.push(...timeCauses(facts, kind));
	return causes;
}

/** Services behind Google's front door, IAP and ESPv2: a Google-signed, unexpired ID token for the right audience, then a role. */
function idTokenCauses(facts: CauseFacts, kind: TargetKind): Weighted[] {
	const {evidence, token} = facts;
	const product = productNames[kind];
	const causes: Weighted[] = [];
	const audience = expectedAudience(facts, kind);

	if (!idKinds.has(token.kind)) {
		// Cloud Run, Cloud Functions and IAP accept only Google-signed ID tokens; an access token is refused with 401
		// (https://cloud.google.com/run/docs/authenticating/service-to-service; IAP: "Unable to parse JWT").
		const what = {
			'google-access-token': 'an OAuth access token (ya29.…)',
			'self-signed-jwt': 'a service account’s self-signed JWT',
			opaque: 'an opaque token',
		}[token.kind as 'google-access-token' | 'self-signed-jwt' | 'opaque'];
		const agrees = evidence.iap === 'unparsable' || /not in the form/.test(evidence.esp ?? '') || evidence.responder === 'google-front-end';
		causes.push({
			code: 'wrong-token-kind',
			weight: agrees ? 100 : 90,
			sentence: `${capital(product)} wants an OpenID Connect ID token, but ${what} was sent.`,
			// IAP's audience is its OAuth client ID, never the URL; IAP names it once it gets any ID token.
			fix:
				kind === 'iap'
					? idTokenFix(audience ?? 'IAP_CLIENT_ID', token.principal, true)
					: idTokenFix(audience ?? facts.target.audience ?? facts.target.url.origin, token.principal),
		});
		return causes;
	}

	if (evidence.iap === 'no-email') {
		// IAP needs to know who calls: a token minted without the email claim is refused (format=full, --include-email).
		causes.push({
			code: 'iap-missing-email',
			weight: 100,
			sentence:
				'IAP wants an ID token with the email claim, and this one has none: mint it with --include-email (metadata server: format=full).',
			fix: idTokenFix(audience ?? token.audiences[0] ?? '', token.principal, true),
		});
	}

	const signature = token.verification;
	const badSignature = signature?.status === 'invalid' && signatureFailures.has(signature.code);
	const saysBadSignature = evidence.iap === 'bad-signature' || evidence.esp === 'Jwt verification fails';
	if (badSignature || saysBadSignature || (token.issuer !== undefined && !token.trustedIssuer)) {
		// Google's front end, IAP and ESPv2 (by default) trust Google's keys only
		// (https://cloud.google.com/run/docs/securing/service-identity; https://cloud.google.com/iap/docs/authentication-howto).
		const why =
			badSignature || saysBadSignature
				? 'its signature does not verify against its issuer’s published keys'
				: `it was issued by ${token.issuer}, not by Google`;
		causes.push({
			code: 'not-google-signed',
			weight: saysBadSignature ? 100 : badSignature ? 95 : 85,
			sentence: `The token is not a Google-signed ID token: ${why}. ${capital(product)} accepts only ID tokens Google signed.`,
			fix: idTokenFix(audience ?? token.audiences[0] ?? facts.target.url.origin, token.principal),
		});
	}
	if (evidence.esp === 'Jwt issuer is not configured') {
		// ESPv2 checks x-google-issuer first; behind Cloud Run without --allow-unauthenticated IAM checks it with its own
		// issuer (https://cloud.google.com/endpoints/docs/openapi/troubleshoot-jwt).
		causes.push({
			code: token.trustedIssuer ? 'unknown' : 'not-google-signed',
			weight: 95,
			sentence:
				`The gateway does not accept tokens from the issuer ${token.issuer ?? '(none)'}: its API config ` +
				`(x-google-issuer) names other issuers.`,
			fix: null,
		});
	}

	causes.push(...audienceCauses(facts, kind, audience));

	if (evidence.status === 403 && !saysBadSignature) {
		causes.push(invokerRole(facts, kind));
	}
	return causes;
}

/** The audience the service wants, when the answer names it (IAP) or the host name tells it (run.app, cloudfunctions.net). */
function expectedAudience(facts: CauseFacts, kind: TargetKind): string | undefined {
	if (facts.evidence.expectedAudience) return facts.evidence.expectedAudience;
	if (facts.target.expectedAudience) return facts.target.expectedAudience;
	if (kind === 'cloud-run') return facts.target.url.origin;
	if (kind === 'cloud-functions') return `${facts.target.url.origin}${facts.target.url.pathname.split('/').slice(0, 2).join('/')}`;
	return undefined;
}

function audienceCauses(facts: CauseFacts, kind: TargetKind, expected: string | undefined): Weighted[] {
	const {evidence, token} = facts;
	const product = productNames[kind];
	const aud = token.audiences.join(', ') || '(none)';
	const named = evidence.iap === 'audience' || evidence.esp === 'Audiences in Jwt are not allowed';
	if (expected) {
		// Cloud Run accepts its URL with or without the trailing slash (Google's own Go sample mints for
		// "https://my-cloud-run-service.run.app/": https://cloud.google.com/run/docs/samples/cloudrun-service-to-service-auth).
		// Cloud Run also trusts gcloud's own client ID as the audience of a user's token, for development
		// (https://cloud.google.com/run/docs/authenticating/developers; GoogleCloudPlatform/cloud-run-proxy#8).
		const userToken = token.principal !== undefined && !isServiceAccountEmail(token.principal);
		const accepted = kind === 'cloud-run' ? [expected, `${expected}/`, ...(userToken ? [gcloudClientId] : [])] : [expected];
		if (token.audiences.some(value => accepted.includes(value))) return [];
		if (evidence.status !== 401 && !named) return [];
		const mistake = audienceMistake(token.audiences[0] ?? '', expected, kind);
		return [
			{
				code: 'audience-mismatch',
				weight: named ? 100 : 95,
				sentence: `${mistake} ${capital(product)} expects ${expected}.`,
				fix: customDomainFix(token.audiences[0], expected, kind, facts.target.url) ?? idTokenFix(expected, token.principal, kind === 'iap'),
			},
		];
	}
	if (named) {
		const why = evidence.esp ? 'its API config (x-google-audiences) lists others' : 'it names another';
		return [
			{
				code: 'audience-mismatch',
				weight: 100,
				sentence: `${capital(product)} does not accept the audience ${aud}: ${why}.`,
				fix: command('tokscope', 'doctor', facts.target.url.href, '--probe'),
			},
		];
	}
	if (evidence.status === 401 && evidence.responder === 'google-front-end') {
		// Google's front end says only "The access token could not be verified"
		// (google-auth-library-nodejs#1208): with a Google-signed, unexpired ID token the audience is what is left.
		const clientId = token.audiences.some(value => oauthClientIdPattern.test(value));
		return [
			{
				code: 'audience-mismatch',
				weight: 75,
				sentence: clientId
					? `The token's aud is an OAuth client ID (${aud}), what gcloud auth print-identity-token makes without ` +
						`--audiences; the service wants its own URL.`
					: `The service refused the token without saying why, and its aud (${aud}) is the likeliest reason: Cloud Run wants its run.app URL ` +
						'(or a custom audience it lists), Cloud Functions (1st gen) the full function URL, IAP its OAuth client ID.',
				fix: command('tokscope', 'doctor', facts.target.url.href, '--probe'),
			},
		];
	}
	return [];
}

/** One sentence naming the visible mistake in `aud`, for the audience a product expects. */
export function audienceMistake(aud: string, expected: string, kind: TargetKind): string {
	if (!aud) return 'The token has no aud claim.';
	const the = `The token's aud is ${aud}`;
	if (oauthClientIdPattern.test(aud) && kind !== 'iap') {
		return `${the}, an OAuth client ID: what gcloud auth print-identity-token makes without --audiences.`;
	}
	if (kind === 'iap' && !oauthClientIdPattern.test(aud)) return `${the}, but IAP checks for its OAuth client ID, not a URL.`;
	const parsed = safeUrl(aud);
	const want = safeUrl(expected);
	if (parsed && want) {
		const httpInstead = parsed.protocol === 'http:' && want.protocol === 'https:' && parsed.host === want.host;
		if (httpInstead) return `${the}: it uses http:// where the service URL is https://.`;
		if (parsed.host !== want.host) {
			return (
				`${the}: another host than the service's own URL (a custom domain or load balancer is a different ` +
				`audience unless the service lists it).`
			);
		}
		const path = parsed.pathname.replace(/\/$/, '');
		const wantPath = want.pathname.replace(/\/$/, '');
		if (path === wantPath && aud.endsWith('/') !== expected.endsWith('/'))
			return `${the}: it ${aud.endsWith('/') ? 'ends with' : 'lacks'} a trailing slash.`;
		if (wantPath === '' && path !== '') return `${the}: it has a path (${parsed.pathname}), and the audience is the service URL alone.`;
		if (wantPath !== '' && path === '')
			return `${the}: the origin alone, and a 1st gen function's audience is its full URL, path included.`;
		if (path !== wantPath) return `${the}: another path than the function's URL.`;
	}
	return `${the}.`;
}

/** A custom domain in front of Cloud Run: mint for the run.app URL, or make the service accept the domain too. */
function customDomainFix(aud: string | undefined, expected: string, kind: TargetKind, url: URL): string | undefined {
	const parsed = aud ? safeUrl(aud) : undefined;
	if (kind !== 'cloud-run' || !parsed || parsed.host === safeUrl(expected)?.host || oauthClientIdPattern.test(aud!)) return undefined;
	// https://cloud.google.com/run/docs/configuring/custom-audiences
	return command('gcloud', 'run', 'services', 'update', serviceName(url), `--add-custom-audiences=${aud}`);
}

function invokerRole(facts: CauseFacts, kind: TargetKind): Weighted {
	const principal = facts.token.principal;
	const member = memberOf(principal);
	const who = principal ?? 'the caller';
	const url = facts.target.url;
	// IAM changes take effect in about two minutes, sometimes seven or more
	// (https://cloud.google.com/iam/docs/access-change-propagation).
	const wait = 'A role just granted can take a minute or two to apply.';
	switch (kind) {
		case 'cloud-functions':
			// https://cloud.google.com/functions/docs/securing/managing-access-iam (2nd gen functions use roles/run.invoker).
			return {
				code: 'missing-invoker-role',
				weight: 90,
				sentence:
					`The token was accepted but ${who} may not invoke the function: it needs ` +
					`roles/cloudfunctions.invoker (2nd gen: roles/run.invoker). ${wait}`,
				fix: command(
					...['gcloud', 'functions', 'add-iam-policy-binding', functionName(url), `--region=${functionRegion(url)}`],
					...[`--member=${member}`, '--role=roles/cloudfunctions.invoker'],
				),
			};
		case 'iap':
			// https://cloud.google.com/iap/docs/managing-access: IAP-secured Web App User.
			return {
				code: 'missing-invoker-role',
				weight: 95,
				sentence: `IAP accepted the token but ${who} may not reach the app: it needs roles/iap.httpsResourceAccessor. ${wait}`,
				fix: command('gcloud', 'iap', 'web', 'add-iam-policy-binding', `--member=${member}`, '--role=roles/iap.httpsResourceAccessor'),
			};
		case 'api-gateway':
			return {
				code: 'missing-invoker-role',
				weight: 70,
				sentence:
					`The gateway let the token through and the backend refused it: ${who} (or the gateway's own service account) ` +
					`lacks the backend's invoker role. ${wait}`,
				fix: null,
			};
		default:
			// https://cloud.google.com/run/docs/securing/managing-access: roles/run.invoker on the service.
			return {
				code: 'missing-invoker-role',
				weight: facts.evidence.responder === 'google-front-end' || kind === 'cloud-run' ? 90 : 60,
				sentence: `The token was accepted but ${who} may not invoke the service: it needs roles/run.invoker on it. ${wait}`,
				fix: command(
					...['gcloud', 'run', 'services', 'add-iam-policy-binding', serviceName(url), ...runRegion(url)],
					...[`--member=${member}`, '--role=roles/run.invoker'],
				),
			};
	}
}

/** Google's APIs: an OAuth access token with a scope they accept, and a role granting the method's permission. */
function googleApiCauses(facts: CauseFacts, answerNamedCause: boolean): Weighted[] {
	const {evidence, token} = facts;
	const causes: Weighted[] = [];
	if (idKinds.has(token.kind)) {
		// "Expected OAuth 2 access token, login cookie or other valid authentication credential" (Google APIs' 401).
		const why = token.minted ? ' (the host name did not say which product this is, so tokscope sent an ID token for its origin)' : '';
		causes.push({
			code: 'wrong-token-kind',
			weight: evidence.googleApi?.status === 'UNAUTHENTICATED' || evidence.status === 401 ? 100 : 80,
			sentence: `Google APIs want an OAuth 2 access token, but an ID token was sent${why}.`,
			fix: command('gcloud', 'auth', 'print-access-token'),
		});
		return causes;
	}
	if (answerNamedCause) return causes;
	if (evidence.googleApi?.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' || evidence.challengeError === 'insufficient_scope') {
		// https://cloud.google.com/docs/authentication#authorization-gcp: scopes limit what the token may do.
		causes.push({
			code: 'wrong-token-kind',
			weight: 100,
			sentence: 'The access token lacks a scope this API accepts: mint it with the cloud-platform scope.',
			fix: command('tokscope', 'print-access-token', '--scopes=https://www.googleapis.com/auth/cloud-platform'),
		});
		return causes;
	}
	if (evidence.status === 403) {
		// PERMISSION_DENIED: authenticated, but no role on the resource grants the method's permission.
		causes.push({
			code: 'missing-invoker-role',
			weight: 90,
			sentence:
				`The API accepted the token but ${token.principal ?? 'the caller'} lacks a role granting this method's permission on the resource. ` +
				'A role just granted can take a minute or two to apply.',
			fix: command('gcloud', 'projects', 'add-iam-policy-binding', 'PROJECT', `--member=${memberOf(token.principal)}`, '--role=ROLE'),
		});
		return causes;
	}
	if (evidence.status === 401) {
		// An access token is opaque: the API's 401 means expired, revoked, or not Google's.
		causes.push({
			code: 'token-expired',
			weight: 60,
			sentence: 'The API did not accept the access token: it has expired or was revoked (an access token cannot be checked locally).',
			fix: command('gcloud', 'auth', 'print-access-token'),
		});
	}
	return causes;
}

/** Expiry judged by the service's clock (its Date header) when there is one, and the skew between the clocks. */
function timeCauses(facts: CauseFacts, kind: TargetKind): Weighted[] {
	const {evidence, token, receivedAt} = facts;
	const causes: Weighted[] = [];
	const skew = evidence.serverDate ? clockSkewSeconds(evidence.serverDate, receivedAt) : 0;
	const serverNow = receivedAt.getTime() + skew * 1000;
	const localNow = receivedAt.getTime();
	const expiredThere = token.expiresAt !== undefined && token.expiresAt.getTime() <= serverNow;
	const expiredHere = token.expiresAt !== undefined && token.expiresAt.getTime() <= localNow;
	const futureThere = token.issuedAt !== undefined && token.issuedAt.getTime() > serverNow + skewToleranceSeconds * 1000;
	const saysExpired = evidence.iap === 'expired' || evidence.esp === 'Jwt is expired';
	const audience = token.audiences[0] ?? facts.target.audience ?? facts.target.url.origin;
	const refresh =
		kind === 'google-api' ? command('gcloud', 'auth', 'print-access-token') : idTokenFix(audience, token.principal, kind === 'iap');

	// A 403 comes after authentication: the token's times passed there, whatever the clocks say.
	const authenticated = evidence.status === 403 && !saysExpired;
	if ((expiredThere || saysExpired) && !authenticated) {
		// Google's ID tokens live one hour (https://cloud.google.com/docs/authentication/token-types#id); the libraries'
		// IdTokenClient mints a new one before then, a token copied into a script does not.
		const ago = token.expiresAt ? ` ${formatDuration(serverNow - token.expiresAt.getTime())} ago` : '';
		const byServer = expiredThere && !expiredHere ? ' by the service’s clock (by this machine’s it has not)' : '';
		const weight = saysExpired || expiredHere ? 98 : 85;
		causes.push({code: 'token-expired', weight, sentence: `The token expired${ago}${byServer}: mint a new one.`, fix: refresh});
	}
	if (Math.abs(skew) > skewToleranceSeconds) {
		const direction = skew > 0 ? 'behind' : 'ahead of';
		const explains = !authenticated && ((expiredThere && !expiredHere) || futureThere);
		// Token times are checked against the verifier's clock; a machine whose clock is off mints or keeps tokens that
		// look fine here and are refused there (https://cloud.google.com/compute/docs/instances/managing-instance-time).
		causes.push({
			code: 'clock-skew',
			weight: explains ? 99 : 40,
			sentence:
				`This machine's clock is ${Math.abs(skew)} s ${direction} the service's (its Date header)` +
				(explains
					? ': the token’s times look valid here and are not there.'
					: '; it does not explain this refusal, but it will break token times.'),
			fix: command('sudo', 'timedatectl', 'set-ntp', 'true'),
		});
	}
	return causes;
}

function unexplained(facts: CauseFacts): Weighted {
	return {
		code: 'unknown',
		weight: 10,
		sentence:
			`Nothing in the answer or the token explains the HTTP ${facts.evidence.status}: ` +
			"the service's own code may have refused the call; its logs will say why.",
		fix: command('tokscope', 'doctor', facts.target.url.href, '--debug'),
	};
}

/** Verdicts that say the signature itself is wrong, as opposed to the token's times or claims. */
const signatureFailures: ReadonlySet<VerificationCode> = new Set<VerificationCode>([
	'unsigned',
	'bad-signature',
	'unknown-key',
	'wrong-algorithm',
	'malformed',
]);

/** Why a token could not be minted, as the refusal named it (the sources read it with core/mint-causes.ts). */
export function mintFailureCauses(error: unknown): Cause[] {
	return isTokscopeError(error) ? [...error.causes] : [];
}

/** The command that mints the right ID token: gcloud mints ID tokens for an audience only as a service account. */
function idTokenFix(audience: string, principal: string | undefined, includeEmail = false): string {
	const impersonate = isServiceAccountEmail(principal) ? [] : ['--impersonate-service-account=SA_EMAIL'];
	return command(
		'gcloud',
		'auth',
		'print-identity-token',
		...impersonate,
		`--audiences=${audience}`,
		...(includeEmail ? ['--include-email'] : []),
	);
}

function answerFacts(facts: CauseFacts, answer: ReadAnswer, kind: TargetKind): ServiceAnswer {
	return {
		answer,
		target: facts.target,
		kind,
		token: facts.token,
		member: memberOf(facts.token.principal),
		googleSigned: facts.token.trustedIssuer,
		service: serviceName(facts.target.url),
		region: runRegion(facts.target.url),
		...(facts.sourceId ? {sourceId: facts.sourceId} : {}),
	};
}

/** The IAM member of whoever calls the service; unknown, it is most often a service account for the reader to name. */
export function memberOf(principal: string | undefined): string {
	return iamMember(principal, 'serviceAccount:SA_EMAIL');
}

/**
 * The service name in a run.app host, in both forms Cloud Run hands out
 * (https://cloud.google.com/run/docs/triggering/https-request#deterministic): `SERVICE-PROJECTNUMBER.REGION.run.app`
 * and `SERVICE-HASH-REGIONCODE.a.run.app` (the hash of any length: docs and users write `hello-abc123-uc`). Service
 * names may hold hyphens; the hash and region code never do.
 */
export function serviceName(url: URL): string {
	const host = url.hostname.toLowerCase();
	return (
		/^([a-z0-9-]+)-\d+\.[a-z0-9-]+\.run\.app$/.exec(host)?.[1] ??
		/^([a-z0-9-]+)-[a-z0-9]+-[a-z]{2}\.a\.run\.app$/.exec(host)?.[1] ??
		'SERVICE'
	);
}

/**
 * `--region=…` where the URL names the region (the deterministic form), and nothing where it does not: the hashed form
 * carries only a region code, so gcloud uses its own run/region setting or asks, rather than a fix holding REGION.
 */
function runRegion(url: URL): string[] {
	const region = /^[a-z0-9-]+-\d+\.([a-z0-9-]+)\.run\.app$/.exec(url.hostname.toLowerCase())?.[1];
	return region ? [`--region=${region}`] : [];
}

function functionName(url: URL): string {
	return url.hostname.endsWith('.cloudfunctions.net') ? (url.pathname.split('/').filter(Boolean)[0] ?? 'FUNCTION') : 'FUNCTION';
}

function functionRegion(url: URL): string {
	return /^([a-z]+-[a-z]+\d+)-[a-z0-9-]+\.cloudfunctions\.net$/.exec(url.hostname)?.[1] ?? 'REGION';
}

function safeUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
