import {googleTokenUrl, googleUniverseDomain} from '../core/google.js';
import {inspect} from 'node:util';
import {TokscopeError} from '../core/errors.js';
import type {RawToken} from '../core/types.js';
import type {SignInWay} from './login-browser.js';
import type {OAuthClientFile} from './login-client.js';

/**
 * One step of the sign-in, recorded as it happens for the live view's wire (the authorization URL, the answer that came
 * back, the code exchange). No secret enters it: the code is masked, the verifier and the tokens are never recorded.
 */
export type SignInRecord =
	| {step: 'authorize'; at: Date; url: string; way: SignInWay}
	| {step: 'redirect'; at: Date; via: 'loopback' | 'paste'; code?: string; state?: string; stateMatches: boolean; error?: string}
	| {
			step: 'exchange';
			at: Date;
			tokenUri: string;
			redirectUri: string;
			clientId: string;
			status?: number;
			latencyMs: number;
			/** The fields of the answer, by name (expires_in for the lifetime); never their values but those below. */
			returned: string[];
			expiresInSeconds?: number;
			scope?: string;
			tokenType?: string;
			error?: string;
	  };

/**
 * A signed-in user: the tokens the code exchange returned. The refresh token lives in a private field, so it is never
 * in JSON, util.inspect, a log or an error; only `authorizedUserFile()` (for --save) and the refresh itself read it.
 */
export class SignedIn {
	readonly #refreshToken: string | undefined;
	#firstAccess: RawToken | undefined;
	#firstId: string | undefined;

	constructor(
		readonly client: OAuthClientFile,
		tokens: {accessToken: RawToken; refreshToken?: string; idToken?: string},
		readonly scopes: string[],
		readonly email: string | undefined,
		/** How this sign-in went, step by step, for the wire. */
		readonly steps: readonly SignInRecord[] = [],
	) {
		this.#refreshToken = tokens.refreshToken;
		this.#firstAccess = tokens.accessToken;
		this.#firstId = tokens.idToken;
	}

	get canRefresh(): boolean {
		return this.#refreshToken !== undefined;
	}

	/** The exchange's own tokens, each handed out once: later asks refresh. */
	takeFirstAccessToken(): RawToken | undefined {
		const token = this.#firstAccess;
		this.#firstAccess = undefined;
		return token;
	}

	takeFirstIdToken(): string | undefined {
		const token = this.#firstId;
		this.#firstId = undefined;
		return token;
	}

	/** What a refresh needs (the authorized_user fields), for the library client that posts it. */
	refreshCredential(): Record<string, string> {
		if (!this.#refreshToken) {
			throw new TokscopeError(
				'no-credential',
				'The token endpoint gave no refresh token at sign-in, so this sign-in cannot be refreshed: sign in again.',
			);
		}
		const {clientId, clientSecret, tokenUri} = this.client;
		return {client_id: clientId, client_secret: clientSecret, refresh_token: this.#refreshToken, token_uri: tokenUri};
	}

	/**
	 * The file gcloud's `auth application-default login` writes (its keys, sorted as it sorts them), plus token_uri when
	 * the client's token endpoint is not Google's: without it no library would know where to refresh.
	 */
	authorizedUserFile(): string {
		const {token_uri: tokenUri, ...credential} = this.refreshCredential();
		const file = {
			account: this.email ?? '',
			...credential,
			...(tokenUri === googleTokenUrl ? {} : {token_uri: tokenUri}),
			type: 'authorized_user',
			universe_domain: googleUniverseDomain,
		};
		return `${JSON.stringify(file, null, 2)}\n`;
	}

	toJSON() {
		const refreshToken = this.#refreshToken ? '[in memory]' : undefined;
		return {client: this.client.clientId, email: this.email, scopes: this.scopes, refreshToken};
	}

	[inspect.custom]() {
		return `SignedIn ${inspect(this.toJSON())}`;
	}
}
