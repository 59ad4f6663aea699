/** The two things a user asks a source for: an OpenID Connect ID token, or an OAuth access token. */
export type TokenType = 'id' | 'access';

/** What a token is, as far as we can tell from the token alone. */
export type TokenKind =
	| 'google-id-token' // RS256 JWT from accounts.google.com (the emulator's real-names mode issues as it too)
	| 'id-token' // the same OpenID Connect shape from another issuer (the emulator on loopback, any OIDC provider): "not Google"
	| 'google-access-token' // opaque `ya29.` bearer
	| 'self-signed-jwt' // a service account's own JWT used directly as an access token
	| 'jwt' // any other JWT (other issuers, JWT access tokens)
	| 'opaque'; // not a JWT and not recognisably Google's

export type VerificationStatus = 'valid' | 'invalid' | 'unverified';

/** Why a verdict is what it is, for code that decides on it (doctor's causes); `reason` says it to people. */
export type VerificationCode =
	// valid
	| 'verified'
	// unverified: nothing was proven either way
	| 'not-checked'
	| 'opaque'
	| 'needs-secret'
	| 'no-issuer'
	| 'keys-unavailable'
	// invalid: the signature is wrong…
	| 'unsigned'
	| 'bad-signature'
	| 'unknown-key'
	| 'wrong-algorithm'
	| 'malformed'
	// …or the claims are
	| 'expired'
	| 'not-yet-valid'
	| 'issued-in-future'
	| 'claim-failed'
	| 'unexpected-claims';

export interface Verification {
	status: VerificationStatus;
	code: VerificationCode;
	/** One plain sentence: why valid, why not, or why we did not check. */
	reason: string;
	issuer?: string;
	keyId?: string;
	/** True when the issuer is Google's (accounts.google.com): its keys are Google's published ones. */
	google?: boolean;
	/**
	 * The signature and times alone, when expectations were given too (`inspect --expect-audience`): a token for another
	 * audience is invalid for the caller, yet its signature may be good, and the two are shown apart.
	 */
	signature?: {status: VerificationStatus; reason: string};
	/** What the expected claims found: met, or the sentence naming the claim that differs. */
	expected?: {status: 'met' | 'mismatch'; reason: string};
	/** True when the issuer is one the environment names as standing in for Google (the emulator's: core/google.ts). */
	testIssuer?: boolean;
}

/** A token as a source handed it to us, before decoding. */
export interface RawToken {
	token: string;
	/** Which of the two things the user asked for. */
	type: TokenType;
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
