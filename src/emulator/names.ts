import type {ServiceKind} from './services/context.js';

/** Where each of the emulator's endpoints is reached, as credential files, discovery and redirects name them. */
export interface Endpoints {
	/** The `iss` of its ID tokens. */
	issuer: string;
	token: string;
	sts: string;
	/** IAM Credentials' base, without `/v1`. */
	iamCredentials: string;
	jwks: string;
	x509Certs: string;
	authorization: string;
	/** The authorization URL as downloaded key and client files name it (the older path). */
	authorizationInFiles: string;
	userinfo: string;
	tokeninfo: string;
	/** host[:port] of the metadata server (what GCE_METADATA_HOST would say). */
	metadataHost: string;
}

/** Every endpoint on one loopback origin: the emulator as the demo and most tests run it. */
export function loopbackEndpoints(url: string, metadataHost: string): Endpoints {
	return {
		issuer: url,
		token: `${url}/token`,
		sts: `${url}/v1/token`,
		iamCredentials: url,
		jwks: `${url}/oauth2/v3/certs`,
		x509Certs: `${url}/oauth2/v1/certs`,
		authorization: `${url}/o/oauth2/v2/auth`,
		authorizationInFiles: `${url}/o/oauth2/auth`,
		userinfo: `${url}/v1/userinfo`,
		tokeninfo: `${url}/tokeninfo`,
		metadataHost,
	};
}

/**
 * Google's own addresses, as https://accounts.google.com/.well-known/openid-configuration and the client libraries'
 * defaults name them: the emulator's real-names mode, inside the sealed test box, answers at these.
 */
export const googleEndpoints: Endpoints = {
	issuer: 'https://accounts.google.com',
	token: 'https://oauth2.googleapis.com/token',
	sts: 'https://sts.googleapis.com/v1/token',
	iamCredentials: 'https://iamcredentials.googleapis.com',
	jwks: 'https://www.googleapis.com/oauth2/v3/certs',
	x509Certs: 'https://www.googleapis.com/oauth2/v1/certs',
	authorization: 'https://accounts.google.com/o/oauth2/v2/auth',
	authorizationInFiles: 'https://accounts.google.com/o/oauth2/auth',
	userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
	tokeninfo: 'https://oauth2.googleapis.com/tokeninfo',
	metadataHost: 'metadata.google.internal',
};

/** Google's HTTPS host names the emulator serves in real-names mode (the sealed box maps each to its listener). */
export const googleHostNames = [
	'accounts.google.com',
	'oauth2.googleapis.com',
	'www.googleapis.com',
	'openidconnect.googleapis.com',
	'iamcredentials.googleapis.com',
	'sts.googleapis.com',
] as const;

/**
 * The protected services' origins in real-names mode, one sample per URL form users meet: Cloud Run's hashed URL
 * (SERVICE-HASH-REGIONCODE.a.run.app), Cloud Functions gen 1 (REGION-PROJECT.cloudfunctions.net, the function's name as
 * the path), IAP in front of a custom domain, API Gateway (GATEWAY-HASH.REGIONCODE.gateway.dev), a Google API at its own
 * host, and a public Cloud Run service. Names under .example are reserved (RFC 2606): that one is never a real site.
 */
export const realServiceOrigins: Record<ServiceKind, string> = {
	'cloud-run': 'https://hello-abc123xyz-uc.a.run.app',
	'cloud-functions': 'https://us-central1-tokscope-demo.cloudfunctions.net',
	iap: 'https://iap-app.tokscope.example',
	'api-gateway': 'https://tokscope-gw-3xk9a2bc.uc.gateway.dev',
	'google-api': 'https://cloudresourcemanager.googleapis.com',
	public: 'https://public-abc123xyz-uc.a.run.app',
};
