import type {Authority} from './authority.js';
import type {Clock} from './clock.js';
import {iamPermissionDenied, type Fault, type Faults} from './faults.js';

/** What a teacher (or a test) can break in the running emulator; `heal()` undoes all of it. */
export type Breakage =
	/** Every token endpoint answers 500 with Google's body for that endpoint. */
	| {kind: 'server-error'}
	/** IAM Credentials answers 403 PERMISSION_DENIED naming the permission (impersonated sources only). */
	| {kind: 'permission-denied'}
	/** Every token endpoint takes the request and never answers. */
	| {kind: 'stall'}
	/** Every refresh token is refused: 400 invalid_grant "Token has been expired or revoked." */
	| {kind: 'revoked-refresh-token'}
	/** The emulator's clock runs this many seconds ahead (negative: behind): tokens' iat/exp and its Date headers. */
	| {kind: 'clock-skew'; seconds: number}
	/** Access tokens already issued stop working, and every new token is issued already expired. */
	| {kind: 'expire-now'};

export type BreakageKind = Breakage['kind'];

export interface BreakOptions {
	/** For server-error, permission-denied and stall: only the next N matching requests fail. */
	times?: number;
}

/**
 * The demo menu's entries, in the order a lesson would use them: one label, one sentence on what breaks, and one on
 * which of the demo's sources it reaches (the picker's lines; a pasted token never asks the emulator).
 */
export const breakageCatalog: ReadonlyArray<{kind: BreakageKind; label: string; explains: string; affects: string}> = [
	{
		kind: 'server-error',
		label: 'Token endpoints fail (500)',
		explains: 'Google answers 500: the token is kept until it expires, and refreshes back off and retry.',
		affects: 'Every source but paste.',
	},
	{
		kind: 'permission-denied',
		label: 'IAM says 403',
		explains: 'The caller lacks roles/iam.serviceAccountTokenCreator: nothing to retry until the role is granted.',
		affects:
			'Only what mints through IAM Credentials: impersonate, external and ADC with the impersonated_service_account file. ' +
			'Not metadata, key-file, login or the other ADC lines: they never call IAM.',
	},
	{
		kind: 'stall',
		label: 'Token endpoints hang',
		explains: 'Requests are accepted and never answered: only a deadline ends them.',
		affects: 'Every source but paste.',
	},
	{
		kind: 'revoked-refresh-token',
		label: 'Refresh token revoked',
		explains: 'invalid_grant: the user must sign in again (with gcloud for gcloud’s file, with tokscope for its own sign-in).',
		affects:
			'Only what refreshes a user’s token: login, and ADC with the authorized_user or impersonated_service_account file. ' +
			'Not metadata, key-file, impersonate (its caller is the key) or external.',
	},
	{
		kind: 'clock-skew',
		label: 'Clock skew',
		explains: "The emulator's clock is off: tokens look issued in the future or already expired.",
		affects: 'Every source but paste: tokens carry the emulator’s times, and it judges a key’s signed request by its clock.',
	},
	{
		kind: 'expire-now',
		label: 'Tokens expire now',
		explains: 'Issued access tokens stop working and new tokens arrive already expired.',
		affects: 'Every source but paste.',
	},
];

/** Where tokens are issued: the metadata server's token and identity, the OAuth token endpoint, STS and IAM Credentials. */
const tokenPaths = {
	metadata: /^\/computeMetadata\/v1\/instance\/service-accounts\/[^/]+\/(token|identity)$/,
	oauth: /^\/token$/,
	sts: /^\/v1\/token$/,
	iam: /(:|%3A)generate(AccessToken|IdToken)$/i,
};

/**
 * A 500 as each endpoint words it: the metadata server's "Could not fetch URI …" text (quoted in daniefdz/actual-run#2),
 * the google.rpc INTERNAL body for IAM (https://cloud.google.com/apis/design/errors), and for the OAuth endpoints an
 * assumed `{error: "internal_failure"}`.
 */
const serverErrors: Array<[RegExp, Fault]> = [
	[tokenPaths.metadata, {status: 500, body: (path: string) => `Could not fetch URI ${path}\n`}],
	[tokenPaths.oauth, {status: 500, body: {error: 'internal_failure', error_description: 'Backend Error'}}],
	[tokenPaths.sts, {status: 500, body: {error: 'internal_failure', error_description: 'Backend Error'}}],
	[tokenPaths.iam, {status: 500, body: {error: {code: 500, message: 'Internal error encountered.', status: 'INTERNAL'}}}],
];

/** Applies and heals breakages on one running emulator. */
export class BreakIt {
	readonly #active = new Map<BreakageKind, Breakage>();

	constructor(
		private readonly faults: Faults,
		private readonly authority: Authority,
		private readonly clock: Clock,
	) {}

	apply(breakage: Breakage, options: BreakOptions = {}): void {
		const times = options.times;
		switch (breakage.kind) {
			case 'server-error':
				for (const [match, fault] of serverErrors) this.faults.set(match, {...fault, times});
				break;
			case 'permission-denied':
				this.faults.set(tokenPaths.iam, {status: 403, body: iamPermissionDenied, times});
				break;
			case 'stall':
				for (const match of Object.values(tokenPaths)) this.faults.set(match, {stall: true, times});
				break;
			case 'revoked-refresh-token':
				this.authority.refreshRevoked = true;
				break;
			case 'clock-skew':
				this.clock.skewSeconds = breakage.seconds;
				break;
			case 'expire-now':
				this.authority.expireIssuedAccessTokens();
				this.authority.expireOnIssue = true;
				break;
		}
		this.#active.set(breakage.kind, breakage);
	}

	/** Everything back to normal: every fault (set here or by setFault) cleared, stalled requests ended. */
	heal(): void {
		this.faults.clear();
		this.faults.releaseStalled();
		this.authority.refreshRevoked = false;
		this.authority.expireOnIssue = false;
		this.clock.skewSeconds = 0;
		this.#active.clear();
	}

	/** What is broken now (faults limited by `times` may have healed themselves already). */
	active(): Breakage[] {
		return [...this.#active.values()];
	}
}
