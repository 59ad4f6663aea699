import {createHash, generateKeyPairSync, randomBytes, type KeyObject} from 'node:crypto';
import {exportJWK, SignJWT, type JWK} from 'jose';

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

/**
 * The emulator's stand-in for Google's signing and token bookkeeping: its own RSA key for ID tokens,
 * the service-account key it hands out, and the access and refresh tokens it has issued.
 */
export class Authority {
	readonly signingKey: KeyObject;
	readonly signingKeyId = randomBytes(20).toString('hex');
	readonly serviceAccountKey: {privateKeyPem: string; publicKey: KeyObject; keyId: string};
	readonly refreshToken = `1//emulator-${randomBytes(24).toString('base64url')}`;
	readonly oauthClient = {id: '764086051850-emulator.apps.googleusercontent.com', secret: `emulator-${randomBytes(12).toString('hex')}`};
	tokenLifetimeSeconds: number;
	readonly #accessTokens = new Map<string, IssuedAccessToken>();

	constructor(
		readonly issuer: string,
		tokenLifetimeSeconds: number,
	) {
		this.tokenLifetimeSeconds = tokenLifetimeSeconds;
		this.signingKey = generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey;
		const saKey = generateKeyPairSync('rsa', {modulusLength: 2048});
		this.serviceAccountKey = {
			privateKeyPem: saKey.privateKey.export({type: 'pkcs8', format: 'pem'}).toString(),
			publicKey: saKey.publicKey,
			keyId: randomBytes(20).toString('hex'),
		};
	}

	/** Google reports one second less than the lifetime (3599 for an hour). */
	get expiresIn(): number {
		return Math.max(1, this.tokenLifetimeSeconds - 1);
	}

	issueAccessToken(email: string, scopes: string[], clientId = numericId(email), lifetimeSeconds = this.tokenLifetimeSeconds): {token: string; expiresAt: Date} {
		const token = `ya29.c.${randomBytes(96).toString('base64url')}`;
		const expiresAt = new Date(Date.now() + lifetimeSeconds * 1000);
		if (this.#accessTokens.size >= maxRemembered) this.#accessTokens.delete(this.#accessTokens.keys().next().value!);
		this.#accessTokens.set(token, {email, scopes, expiresAt, clientId});
		return {token, expiresAt};
	}

	/** The issued token if it is known and unexpired. */
	lookupAccessToken(token: string): IssuedAccessToken | undefined {
		const issued = this.#accessTokens.get(token);
		return issued && issued.expiresAt.getTime() > Date.now() ? issued : undefined;
	}

	async mintIdToken(request: IdTokenRequest): Promise<string> {
		const now = Math.floor(Date.now() / 1000);
		const sub = request.email.endsWith('.gserviceaccount.com') ? numericId(request.email) : userId(request.email);
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
			.setExpirationTime(now + this.tokenLifetimeSeconds)
			.sign(this.signingKey);
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

function userId(email: string): string {
	return numericId(`user:${email}`);
}
