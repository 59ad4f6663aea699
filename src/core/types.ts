/** What a token is, as far as we can tell from the token alone. */
export type TokenKind =
	| 'google-id-token' // RS256 JWT from accounts.google.com (or the emulator standing in for it)
	| 'google-access-token' // opaque `ya29.` bearer
	| 'self-signed-jwt' // a service account's own JWT used directly as an access token
	| 'jwt' // any other JWT (other issuers, JWT access tokens)
	| 'opaque'; // not a JWT and not recognisably Google's

export type VerificationStatus = 'valid' | 'invalid' | 'unverified';

export interface Verification {
	status: VerificationStatus;
	/** One plain sentence: why valid, why not, or why we did not check. */
	reason: string;
	issuer?: string;
	keyId?: string;
	/** True when the issuer is Google's (accounts.google.com); the emulator's issuer counts as "not Google". */
	google?: boolean;
}

/** A token as a source handed it to us, before decoding. */
export interface RawToken {
	token: string;
	/** Which of the two things the user asked for. */
	type: 'id' | 'access';
	/** When the source says it expires (access tokens carry this outside the token). */
	expiresAt?: Date;
	scopes?: string[];
	audience?: string;
	/** When the fetch finished and how long it took (ms). */
	fetchedAt: Date;
	latencyMs: number;
	/** Plain sentences the source wants the user to see with this token. */
	notes?: string[];
}

/** Everything the UI and commands show about one token; built by core from a RawToken or a pasted string. */
export interface TokenView {
	kind: TokenKind;
	header: Record<string, unknown> | null;
	claims: Record<string, unknown> | null;
	issuedAt: Date | null;
	expiresAt: Date | null;
	/** Why `expiresAt` is not the token's own exp (clamped: times.ts expiryOf), said wherever the expiry is shown. */
	expiryNote?: string;
	notBefore: Date | null;
	verification: Verification;
}
