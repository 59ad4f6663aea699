import {createHash, createPublicKey, generateKeyPair, randomBytes, type KeyObject} from 'node:crypto';
import {promisify} from 'node:util';
import {exportJWK, SignJWT, type JWK} from 'jose';
import {Clock} from './clock.js';
import {selfSignedCertificatePem} from './certificate.js';

/** What the emulator remembers about an access token it issued, for tokeninfo and IAM's bearer check. */
export interface IssuedAccessToken {
	email: string;
	scopes: string[];
	expiresAt: Date;
	/** The OAuth client the token was issued to (numeric id for service accounts). */
	clientId: string;
}

export interface IdTokenRequest {
	audience: string;
	email: string;
	includeEmail: boolean;
	/** Use the email rather than the numeric id as `azp` (IAM's `useEmailAzp`). */
	emailAzp?: boolean;
	/** Extra claims such as `google.compute_engine` for format=full. */
	extra?: Record<string, unknown>;
}

/** Google's token URL: what a jwt-bearer assertion names as `aud`, wherever it is sent. */
export const googleTokenUrl = 'https://oauth2.googleapis.com/token';

/** Issued tokens are bounded so a long demo run does not grow without end. */
const maxRemembered = 5000;

/** The emulator's two RSA keys: the one it signs ID tokens with, and the service-account key it hands out. */
export interface AuthorityKeys {
	signing: KeyObject;
	serviceAccount: KeyObject;
}

/**
 * Two fresh 2048-bit RSA keys, made on libuv's thread pool: 50–250 ms of prime search each that would otherwise hold
 * the main thread (the demo draws its first frame meanwhile).
 */
export async function makeAuthorityKeys(): Promise<AuthorityKeys> {
	const rsa = () => promisify(generateKeyPair)('rsa', {modulusLength: 2048}).then(pair => pair.privateKey);
	const [signing, serviceAccount] = await Promise.all([rsa(), rsa()]);
	return {signing, serviceAccount};
}

/** The service-account key the emulator hands out (in its key file) and checks jwt-bearer assertions with. */
export interface ServiceAccountKey {
	privateKeyPem: string;
	publicKey: KeyObject;
	keyId: string;
}

/** What a refresh token stands for: who signed in, to which client, for which scopes. */
export interface IssuedRefreshToken {
	email: string;
	clientId: string;
	scopes: string[];
}

/**
 * The emulator's stand-in for Google's signing and token bookkeeping: its own RSA key for ID tokens,
 * the service-account key it hands out, and the access and refresh tokens it has issued.
 */
export class Authority {
	readonly signingKeyId = randomBytes(20).toString('hex');
	readonly serviceAccountKeyId = randomBytes(20).toString('hex');
	/** Settles once the keys exist; every route waits for it, so the emulator listens (and is usable) before. */
	readonly ready: Promise<void>;
	readonly refreshToken = `1//emulator-${randomBytes(24).toString('base64url')}`;
	/** The user's own OAuth client (a Desktop app of the demo project), what `tokscope login` signs in with. */
	readonly oauthClient = {id: '123456789012-emulator.apps.googleusercontent.com', secret: `emulator-${randomBytes(12).toString('hex')}`};
	/**
	 * gcloud's application-default client, whose ID `gcloud auth application-default login` writes into the ADC file
	 * (DEFAULT_CREDENTIALS_DEFAULT_CLIENT_ID in googlecloudsdk/api_lib/auth/util.py): the demo user's credential file.
	 */
	readonly gcloudClient = {
		id: '764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com',
		secret: `emulator-${randomBytes(12).toString('hex')}`,
	};
	tokenLifetimeSeconds: number;
	/** While set, every token is issued already expired (the demo's "tokens that expire now"). */
	expireOnIssue = false;
	/** While set, every refresh token is refused as revoked (the demo's "revoked refresh token"). */
	refreshRevoked = false;
	readonly #accessTokens = new Map<string, IssuedAccessToken>();
	readonly #refreshTokens = new Map<string, IssuedRefreshToken>();
	/** `sub` → email, so a service can name the principal of an ID token that carries no email claim. */
	readonly #principals = new Map<string, string>();
	#certificate: string | undefined;
	#keys: {signing: KeyObject; serviceAccount: ServiceAccountKey} | undefined;

	constructor(
		readonly issuer: string,
		tokenLifetimeSeconds: number,
		readonly clock: Clock = new Clock(),
		userEmail = 'demo-user@example.com',
		keys: Promise<AuthorityKeys> = makeAuthorityKeys(),
	) {
		this.tokenLifetimeSeconds = tokenLifetimeSeconds;
		const scopes = ['openid', 'https://www.googleapis.com/auth/userinfo.email', 'https://www.googleapis.com/auth/cloud-platform'];
		this.#refreshTokens.set(this.refreshToken, {email: userEmail, clientId: this.gcloudClient.id, scopes});
		this.ready = keys.then(({signing, serviceAccount}) => {
			const privateKeyPem = serviceAccount.export({type: 'pkcs8', format: 'pem'}).toString();
			this.#keys = {signing, serviceAccount: {privateKeyPem, publicKey: createPublicKey(serviceAccount), keyId: this.serviceAccountKeyId}};
		});
		// Whoever uses a key awaits `ready` and sees a failure there; nobody may be waiting yet.
		this.ready.catch(() => {});
	}

	get signingKey(): KeyObject {
		return this.#made().signing;
	}

	get serviceAccountKey(): ServiceAccountKey {
		return this.#made().serviceAccount;
	}

	#made(): {signing: KeyObject; serviceAccount: ServiceAccountKey} {
		if (!this.#keys) throw new Error('the emulator’s keys are not made yet: await authority.ready');
		return this.#keys;
	}

	/** Google reports one second less than the lifetime (3599 for an hour). */
	get expiresIn(): number {
		return this.expireOnIssue ? 0 : Math.max(1, this.tokenLifetimeSeconds - 1);
	}

	issueAccessToken(
		email: string,
		scopes: string[],
		clientId = numericId(email),
		lifetimeSeconds = this.tokenLifetimeSeconds,
	): {token: string; expiresAt: Date} {
		const token = `ya29.c.${randomBytes(96).toString('base64url')}`;
		const expiresAt = new Date(this.clock.now() + (this.expireOnIssue ? 0 : lifetimeSeconds) * 1000);
		if (this.#accessTokens.size >= maxRemembered) this.#accessTokens.delete(this.#accessTokens.keys().next().value!);
		this.#accessTokens.set(token, {email, scopes, expiresAt, clientId});
		return {token, expiresAt};
	}

	/** The issued token if it is known and unexpired. */
	lookupAccessToken(token: string): IssuedAccessToken | undefined {
		const issued = this.#accessTokens.get(token);
		return issued && issued.expiresAt.getTime() > this.clock.now() ? issued : undefined;
	}

	/** The issued token whatever its expiry, so a service can tell "expired" from "never issued here". */
	knownAccessToken(token: string): IssuedAccessToken | undefined {
		return this.#accessTokens.get(token);
	}

	/** Every access token issued so far stops being accepted at once. */
	expireIssuedAccessTokens(): void {
		const now = new Date(this.clock.now());
		for (const issued of this.#accessTokens.values()) if (issued.expiresAt > now) issued.expiresAt = now;
	}

	issueRefreshToken(grant: IssuedRefreshToken): string {
		const token = `1//emulator-${randomBytes(24).toString('base64url')}`;
		if (this.#refreshTokens.size >= maxRemembered) this.#refreshTokens.delete(this.#refreshTokens.keys().next().value!);
		this.#refreshTokens.set(token, grant);
		return token;
	}

	/** What the refresh token stands for, unless it is unknown or refresh tokens are revoked. */
	lookupRefreshToken(token: string): IssuedRefreshToken | undefined {
		return this.refreshRevoked ? undefined : this.#refreshTokens.get(token);
	}

	/** The email behind an ID token's `sub`, for ID tokens minted here. */
	principalOf(sub: string): string | undefined {
		return this.#principals.get(sub);
	}

	async mintIdToken(request: IdTokenRequest): Promise<string> {
		const now = this.clock.epochSeconds();
		const sub = subjectOf(request.email);
		if (this.#principals.size < maxRemembered) this.#principals.set(sub, request.email);
		const claims: Record<string, unknown> = {
			aud: request.audience,
			azp: request.emailAzp ? request.email : sub,
			...(request.includeEmail ? {email: request.email, email_verified: true} : {}),
			...request.extra,
		};
		return new SignJWT(claims)
			.setProtectedHeader({alg: 'RS256', kid: this.signingKeyId, typ: 'JWT'})
			.setIssuer(this.issuer)
			.setSubject(sub)
			.setIssuedAt(now)
			.setExpirationTime(now + (this.expireOnIssue ? 0 : this.tokenLifetimeSeconds))
			.sign(this.signingKey);
	}

	/** Google's v1 certs form: `{kid: PEM certificate}`, what Python's google-auth verifies ID tokens with by default. */
	x509Certificates(): Record<string, string> {
		this.#certificate ??= selfSignedCertificatePem(this.signingKey, 'tokscope-emulator.invalid');
		return {[this.signingKeyId]: this.#certificate};
	}

	async jwks(): Promise<{keys: JWK[]}> {
		const jwk = await exportJWK(this.signingKey);
		return {keys: [{kty: jwk.kty, n: jwk.n, e: jwk.e, kid: this.signingKeyId, alg: 'RS256', use: 'sig'}]};
	}
}

/** A stable 21-digit id per principal, like Google's service-account unique ids. */
export function numericId(email: string): string {
	const digits = BigInt(`0x${createHash('sha256').update(email).digest('hex').slice(0, 20)}`).toString();
	return `1${digits.padStart(20, '0').slice(0, 20)}`;
}

/** The `sub` of a principal's ID tokens: a service account's unique id, or a user's account id. */
export function subjectOf(email: string): string {
	return email.endsWith('.gserviceaccount.com') ? numericId(email) : numericId(`user:${email}`);
}
