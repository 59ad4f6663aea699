// One plain sentence per claim, for people learning what a token says (teaching is a main use).
const explanations: Record<string, string> = {
	iss: 'Issuer: who signed this token; a verifier fetches this issuer’s public keys.',
	sub: 'Subject: the stable unique id of the principal (user or service account) the token is about.',
	aud: 'Audience: who this token is for; the receiving service (for Cloud Run, its URL) must reject any other audience.',
	azp: 'Authorized party: the client (OAuth client id or service account) the token was issued to.',
	exp: 'Expiry: after this moment every verifier must reject the token.',
	iat: 'Issued at: when the token was minted.',
	nbf: 'Not before: the token must be rejected before this moment.',
	jti: 'Token id: a unique id, so a verifier can spot a replayed token.',
	email: 'Email of the principal; present when the email was asked for (for example --include-email).',
	email_verified: 'Whether the issuer (Google, for Google tokens) has checked that the principal owns this email.',
	scope: 'Scopes: which APIs an access token may call.',
	hd: 'Hosted domain: the Google Workspace domain of the user.',
	google: 'Google-specific details, such as the Compute Engine instance that asked for the token (format=full).',
	nonce: 'Nonce: a value the client chose, echoed back to prevent replay in sign-in flows.',
	at_hash: 'Access-token hash: binds this ID token to the access token issued with it.',
	name: 'The user’s display name.',
	picture: 'URL of the user’s profile picture.',
	given_name: 'The user’s given name.',
	family_name: 'The user’s family name.',
	locale: 'The user’s preferred language.',
	target_audience: 'Target audience: the audience a service account asks Google to mint an ID token for.',
	typ: 'Type of the token.',
	alg: 'Signature algorithm: how the token was signed (RS256 for Google).',
	kid: 'Key id: which of the issuer’s published keys signed the token.',
	auth_time: 'When the user last authenticated.',
	amr: 'How the user authenticated (methods).',
	acr: 'Authentication context class: how strongly the user authenticated.',
	sid: 'Session id of the sign-in.',
	client_id: 'The OAuth client the token was issued to.',
	uid: 'A user id assigned by the issuer.',
};

export function explainClaim(name: string): string | undefined {
	return Object.hasOwn(explanations, name) ? explanations[name] : undefined;
}
