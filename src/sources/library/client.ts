import type {AuthClient} from 'google-auth-library';

// A google-auth-library client behind our own face: the sources ask it for tokens in these words, and only this folder
// knows the library's API (getAccessToken, credentials, fetchIdToken).

const authOf = new WeakMap<LibraryClient, AuthClient>();

/** What a source may ask of a library client. */
export class LibraryClient {
	constructor(auth: AuthClient) {
		authOf.set(this, auth);
	}

	/** Refreshes when needed: the access token, when it expires (ms since the epoch), and the ID token a user's refresh brings. */
	async accessToken(): Promise<{token: string | undefined; expiryMs: number | undefined; idToken: string | undefined}> {
		const auth = authOf.get(this)!;
		const {token} = await auth.getAccessToken();
		return {token: token ?? undefined, expiryMs: auth.credentials.expiry_date ?? undefined, idToken: this.lastIdToken()};
	}

	/** The ID token the last refresh brought (a user's refresh answer carries one), without asking again. */
	lastIdToken(): string | undefined {
		return authOf.get(this)!.credentials.id_token ?? undefined;
	}
}

/** A client that also mints ID tokens for any audience: a service-account key, impersonation. */
export class IdTokenClient extends LibraryClient {
	readonly #mint: (audience: string, includeEmail: boolean) => Promise<string>;

	constructor(auth: AuthClient, mint: (audience: string, includeEmail: boolean) => Promise<string>) {
		super(auth);
		this.#mint = mint;
	}

	idToken(audience: string, options: {includeEmail?: boolean} = {}): Promise<string> {
		return this.#mint(audience, options.includeEmail ?? false);
	}
}

/** The library client inside: for this folder only (impersonation stands on another client). */
export function libraryAuth(client: LibraryClient): AuthClient {
	return authOf.get(client)!;
}
