import {decodeJwt} from 'jose';
import {attributeBindings, evaluateCondition, mapAttributes, maxSubjectBytes, subjectBytes} from '../doctor/wif/attributes.js';
import {judgePolicy, parsePolicy, type Attributes, type Policy} from '../doctor/wif/policy.js';
import {allowedAudiences, parseProvider, type Provider} from '../doctor/wif/provider.js';
import {parseProviderName, poolResource} from '../doctor/wif/provider-name.js';

// Workload identity federation as STS and IAM apply it, when a test (or the demo) gives the emulator a provider and a
// service account's policy: the provider's attribute mapping and condition run with the same CEL evaluator doctor
// uses (doctor/wif/attributes.ts), and refusals in Google's words where a real answer is known
// (test/fixtures/real-world/sts/); the others are marked as assumed.

/** What the emulator knows of federation: the provider it serves, the policies, and who each federated token is. */
export class Federation {
	provider: Provider | undefined;
	/** The provider as the IAM API describes it. */
	providerJson: Record<string, unknown> | undefined;
	readonly policies = new Map<string, Policy>();
	readonly policyJson = new Map<string, Record<string, unknown>>();

	/** Plays this provider (the JSON `gcloud iam workload-identity-pools providers describe --format=json` prints); null: none. */
	setProvider(json: Record<string, unknown> | null): void {
		this.provider = json ? parseProvider(json, 'The provider given to the emulator') : undefined;
		this.providerJson = json ?? undefined;
	}

	/** Plays this policy on the account (the JSON `gcloud iam service-accounts get-iam-policy --format=json` prints); null: none. */
	setPolicy(serviceAccount: string, json: Record<string, unknown> | null): void {
		if (json) {
			this.policies.set(serviceAccount, parsePolicy(json, 'The policy given to the emulator'));
			this.policyJson.set(serviceAccount, json);
		} else {
			this.policies.delete(serviceAccount);
			this.policyJson.delete(serviceAccount);
		}
	}
	/** The attributes mapped for each federated principal STS issued a token to. */
	readonly #principals = new Map<string, {pool: string; attributes: Attributes}>();

	/** Judges a token exchange: the principal and its attributes, or the refusal STS answers with. */
	exchange(audience: string, subjectToken: string, now: Date): {principal: string} | {status: number; error: string; description: string} {
		const provider = this.provider!;
		// sts/audience-is-a-pool, sts/provider-expression-not-interpolated
		const name = audience.startsWith('//iam.googleapis.com/')
			? parseProviderName(audience.slice('//iam.googleapis.com/'.length))
			: undefined;
		if (!name?.provider) {
			return refusal(
				'invalid_request',
				'Invalid value for "audience". This value should be the full resource name of the Identity Provider. See ' +
					'https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token for the list of possible formats.',
			);
		}
		// sts/provider-named-by-project-id
		if (audience !== `//iam.googleapis.com/${provider.name}` || provider.disabled || (provider.state && provider.state !== 'ACTIVE')) {
			return refusal(
				'invalid_target',
				'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or ' +
					"provider is disabled or deleted or because it doesn't exist.",
			);
		}
		let claims: Record<string, unknown>;
		try {
			claims = decodeJwt(subjectToken);
		} catch {
			// Assumed wording: no thread quotes STS's answer to a subject token that is not a JWT.
			return refusal('invalid_grant', 'Unable to parse the ID Token.');
		}
		// sts/issuer-does-not-match-provider (the error code is assumed: the thread quotes the sentence only).
		const issuer = provider.oidc?.issuerUri;
		const tokenIssuer = typeof claims.iss === 'string' ? claims.iss : '';
		if (issuer !== undefined && tokenIssuer.replace(/\/+$/, '') !== issuer.replace(/\/+$/, '')) {
			return refusal('invalid_grant', `The issuer in ID Token ${tokenIssuer} does not match the expected ones: ${issuer}`);
		}
		const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map(String);
		const allowed = allowedAudiences(provider);
		if (!audiences.some(aud => allowed.includes(aud))) {
			// Assumed wording.
			return refusal('invalid_grant', `The audience in ID Token [${audiences.join(', ')}] does not match the expected audience.`);
		}
		if (typeof claims.exp === 'number' && claims.exp * 1000 <= now.getTime()) {
			// Assumed wording.
			return refusal('invalid_grant', 'ID Token expired.');
		}
		const mapped = mapAttributes(provider.attributeMapping, claims);
		const broken = mapped.find(attribute => attribute.error !== undefined);
		// Assumed wording.
		if (broken) return refusal('invalid_request', `Unable to map attribute ${broken.key}: ${broken.error}`);
		// sts/mapped-attribute-over-127-bytes (the error code is assumed).
		if ((subjectBytes(mapped) ?? 0) > maxSubjectBytes)
			return refusal('invalid_request', 'The size of mapped attribute exceeds the 127 bytes limit.');
		// sts/attribute-condition-rejects
		if (provider.attributeCondition && !evaluateCondition(provider.attributeCondition, claims, mapped).holds) {
			return refusal('unauthorized_client', 'The given credential is rejected by the attribute condition.');
		}
		const attributes = attributeBindings(mapped);
		const pool = poolResource(provider.parts);
		const principal = `principal:${pool}/subject/${String(attributes.google.subject)}`;
		this.#principals.set(principal, {pool, attributes});
		return {principal};
	}

	/** Whether a federated principal may mint for the account: its policy, when one is set (none set: allowed). */
	mayActAs(principal: string, serviceAccount: string): boolean {
		const policy = this.policies.get(serviceAccount);
		const known = this.#principals.get(principal);
		if (!policy || !known) return true;
		return judgePolicy(policy, known.pool, known.attributes, serviceAccount).granted !== undefined;
	}
}

function refusal(error: string, description: string) {
	return {status: 400, error, description};
}
