import {stat} from 'node:fs/promises';
import {join} from 'node:path';
import {homedir} from 'node:os';
import {isGcloudClient} from '../core/google.js';
import {command} from '../core/shell-quote.js';
import {formatDuration} from '../core/times.js';
import type {CredentialFile} from '../sources/credential-file.js';
import type {ReadAnswer} from '../core/answer.js';
import type {Cause} from '../core/cause.js';

// A user's refresh token, foreseen: how old the sign-in is (the credential file's time, or gcloud's credential store's),
// whether an app in Testing would end it soon, and why a refresh token is refused, in order of likelihood. Google's
// list: https://developers.google.com/identity/protocols/oauth2#expiration (Testing: 7 days; unused for six months;
// revoked; a password change with Gmail scopes; more than 100 live tokens per account and client; session control).

/** Refresh tokens of an app whose consent screen is in Testing live this long. */
export const testingRefreshMs = 7 * 24 * 3600 * 1000;
const dayMs = 24 * 3600 * 1000;

export interface UserSignIn {
	/** When the user signed in, as near as can be told; undefined when nothing tells. */
	signedInAt?: Date;
	/** What that time is: "the file's time (…)", "gcloud's credential store's time". */
	basis?: string;
	/** The OAuth client is gcloud's (published): no Testing-mode limit applies. */
	googleClient: boolean;
	/** How to sign in again with the tool that made the credential. */
	signInAgain: string;
}

/** What tells the sign-in's age for this source and file; undefined for a credential that is no user's. */
export async function userSignIn(
	sourceId: string,
	file: CredentialFile | undefined,
	env: NodeJS.ProcessEnv,
): Promise<UserSignIn | undefined> {
	if (sourceId === 'gcloud') {
		const config = env.CLOUDSDK_CONFIG ?? join(env.HOME ?? homedir(), '.config', 'gcloud');
		const store = join(config, 'credentials.db');
		const written = await stat(store).then(
			info => info.mtime,
			() => undefined,
		);
		return {
			...(written ? {signedInAt: written, basis: `the time gcloud last wrote ${store}`} : {}),
			googleClient: true,
			signInAgain: command('gcloud', 'auth', 'login'),
		};
	}
	if (sourceId === 'login')
		return {googleClient: false, signInAgain: command('tokscope', 'login', '--client-secret', 'CLIENT_SECRET_FILE')};
	const json =
		file?.type === 'impersonated_service_account' ? (file.json.source_credentials as Record<string, unknown> | undefined) : file?.json;
	if (!file || json?.type !== 'authorized_user') return undefined;
	const written = await stat(file.path).then(
		info => info.mtime,
		() => undefined,
	);
	const googleClient = isGcloudClient(json.client_id);
	return {
		...(written ? {signedInAt: written, basis: `the time ${file.path} was written`} : {}),
		googleClient,
		signInAgain: googleClient
			? command('gcloud', 'auth', 'application-default', 'login')
			: command('tokscope', 'login', '--client-secret', 'CLIENT_SECRET_FILE', '--save', file.path, '--force'),
	};
}

/** The sign-in's age, for the credential step, and a warning when an app in Testing would end it within a day. */
export function signInNotes(signIn: UserSignIn, now: Date): {age?: string; warning?: string} {
	if (!signIn.signedInAt) return {};
	const ageMs = now.getTime() - signIn.signedInAt.getTime();
	const age = `${formatDuration(Math.max(0, ageMs))} ago (${signIn.basis})`;
	if (signIn.googleClient) return {age};
	const leftMs = testingRefreshMs - ageMs;
	if (leftMs > 0 && leftMs <= dayMs) {
		return {
			age,
			warning:
				`If this OAuth app's consent screen is in Testing, its refresh tokens end 7 days after sign-in: this one in ` +
				`${formatDuration(leftMs)}. Publish the app (In production) or sign in again before then.`,
		};
	}
	return {age};
}

/**
 * Why a user's refresh token was refused, most likely first, for "invalid_grant: Token has been expired or revoked." and
 * Testing's bare "Bad Request"; and the reauthentication fix for this credential's tool. Empty when the answer is
 * neither.
 */
export function refreshCauses(answer: ReadAnswer, signIn: UserSignIn, now: Date): Cause[] {
	const revoked = answer.signals.includes('refresh-token-revoked');
	if (!revoked) return [];
	const ageMs = signIn.signedInAt ? now.getTime() - signIn.signedInAt.getTime() : undefined;
	const old = ageMs !== undefined && ageMs >= testingRefreshMs - dayMs;
	const ageWords = ageMs === undefined ? '' : ` (this sign-in is ${formatDuration(ageMs)} old)`;
	const testing: Cause = {
		code: 'testing-app-refresh-expired',
		sentence:
			`The OAuth app's consent screen is in Testing, whose refresh tokens end 7 days after sign-in${ageWords}: publish it ` +
			'(In production) and sign in again.',
		fix: signIn.signInAgain,
	};
	const causes: Cause[] = [
		{
			code: 'refresh-token-revoked',
			sentence:
				'The refresh token was revoked: signed out (gcloud auth revoke), access removed at https://myaccount.google.com/permissions ' +
				'or by a Workspace admin, or the password changed while it held Gmail scopes.',
			fix: signIn.signInAgain,
		},
		{
			code: 'refresh-token-limit',
			sentence:
				'More than 100 refresh tokens were issued for this account and OAuth client: Google ends the oldest without a word ' +
				'(a script that signs in on every run does this).',
			fix: signIn.signInAgain,
		},
		{
			code: 'refresh-token-unused',
			sentence: 'The refresh token was not used for six months, after which Google ends it.',
			fix: signIn.signInAgain,
		},
	];
	// A Testing app's 7 days explain an old sign-in best; gcloud's own clients are published and never in Testing.
	if (!signIn.googleClient) {
		if (old) causes.unshift(testing);
		else causes.splice(1, 0, testing);
	}
	return causes;
}
