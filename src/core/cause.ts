// The causes doctor names, and the minting sentences name, as codes: `doctor --json`'s `causes[].code`, a contract
// (add, never rename). Here in core because the sources word minting failures with them too (mint-causes.ts).

export const causeCodes = [
	'wrong-token-kind',
	'audience-mismatch',
	'missing-invoker-role',
	'token-expired',
	'clock-skew',
	'not-google-signed',
	'no-token-needed',
	'unknown',
	// Read from what the answer says (doctor/answer-causes.ts), each seen in test/fixtures/real-world/.
	'quota-project',
	'api-not-enabled',
	'insufficient-scope',
	'vm-access-scopes',
	'missing-permission',
	'resource-not-found',
	'org-policy-public-access',
	'member-prefix-missing',
	'gateway-behind-iam',
	'gateway-issuer-not-configured',
	'gateway-jwks-unreachable',
	'gateway-jwt-location',
	'wrong-url',
	'custom-audience-missing',
	'iap-missing-email',
	// A token that could not be minted (core/mint-causes.ts).
	'reauth-required',
	'invalid-jwt-signature',
	'service-account-deleted',
	'service-account-disabled',
	'dwd-not-authorised',
	'testing-app-refresh-expired',
	'jwt-times-invalid',
	'iam-scope-missing',
	'iap-client-other-project',
	'wif-audience-format',
	'wif-attribute-condition',
	'wif-attribute-mapping',
	'wif-issuer-mismatch',
	'wif-principal-binding',
	'gke-wi-binding',
	'gke-metadata-not-ready',
	'no-service-account',
	'metadata-account-not-attached',
	// Workload identity federation judged before STS sees the token (doctor/wif/evaluate.ts).
	'wif-token-not-jwt',
	'wif-token-audience',
	// A user's refresh token refused (doctor/user-credential.ts).
	'refresh-token-revoked',
	'refresh-token-limit',
	'refresh-token-unused',
] as const;
export type CauseCode = (typeof causeCodes)[number];

export interface Cause {
	code: CauseCode;
	sentence: string;
	/** A command to run, quoted for a POSIX shell; null when there is none. */
	fix: string | null;
}
