import {TokscopeError} from '../../core/errors.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {readUserFile} from '../../io/file.js';
import {parseJsonObject} from '../../sources/credential-file.js';
import {celSyntaxError} from './attributes.js';
import {parseProviderName, type ProviderName} from './provider-name.js';

// A workload identity pool provider as `gcloud iam workload-identity-pools providers describe … --format=json` prints
// it (the IAM API's WorkloadIdentityPoolProvider:
// https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools.providers).

export interface Provider {
	/** projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID */
	name: string;
	parts: ProviderName;
	state?: string;
	disabled?: boolean;
	attributeMapping: Record<string, string>;
	attributeCondition?: string;
	oidc?: {issuerUri?: string; allowedAudiences?: string[]};
}

/** Checks a provider description; every way it is not one is one sentence naming `what`. */
export function parseProvider(json: Record<string, unknown>, what: string): Provider {
	const name = typeof json.name === 'string' ? json.name.replace(/^\/\/iam\.googleapis\.com\//, '') : '';
	const parts = parseProviderName(name);
	if (!parts?.provider) {
		throw new TokscopeError(
			'file',
			`${what} is not a workload identity pool provider: its "name" is not projects/…/workloadIdentityPools/POOL/providers/ID ` +
				'(write it with gcloud iam workload-identity-pools providers describe PROVIDER --workload-identity-pool=POOL ' +
				'--location=global --format=json).',
		);
	}
	const mapping = json.attributeMapping ?? {};
	if (
		typeof mapping !== 'object' ||
		mapping === null ||
		Array.isArray(mapping) ||
		Object.values(mapping).some(v => typeof v !== 'string')
	) {
		throw new TokscopeError('file', `${what} has an attributeMapping that is not an object of CEL expressions.`);
	}
	const attributeMapping = mapping as Record<string, string>;
	for (const [key, expression] of Object.entries(attributeMapping)) {
		const error = celSyntaxError(expression);
		if (error)
			throw new TokscopeError(
				'file',
				`${what} maps ${terminalSafe(key)} with "${terminalSafe(expression).slice(0, 200)}", which is not CEL: ${terminalSafe(error)}.`,
			);
	}
	const condition =
		typeof json.attributeCondition === 'string' && json.attributeCondition.trim() !== '' ? json.attributeCondition : undefined;
	const conditionError = condition === undefined ? undefined : celSyntaxError(condition);
	if (conditionError) {
		throw new TokscopeError(
			'file',
			`${what} has an attributeCondition that is not CEL ("${terminalSafe(condition!).slice(0, 200)}"): ${terminalSafe(conditionError)}.`,
		);
	}
	const oidc = json.oidc as {issuerUri?: unknown; allowedAudiences?: unknown} | undefined;
	return {
		name,
		parts,
		...(typeof json.state === 'string' ? {state: json.state} : {}),
		...(typeof json.disabled === 'boolean' ? {disabled: json.disabled} : {}),
		attributeMapping,
		...(condition ? {attributeCondition: condition} : {}),
		...(oidc && typeof oidc === 'object'
			? {
					oidc: {
						...(typeof oidc.issuerUri === 'string' ? {issuerUri: oidc.issuerUri} : {}),
						...(Array.isArray(oidc.allowedAudiences) ? {allowedAudiences: oidc.allowedAudiences.filter(a => typeof a === 'string')} : {}),
					},
				}
			: {}),
	};
}

export async function readProviderFile(path: string): Promise<Provider> {
	const what = `The provider file ${path}`;
	return parseProvider(parseJsonObject(await readUserFile(path, {what: 'The provider file'}), what), what);
}

/** The audiences a provider accepts in the token's aud: its list, or by default its own resource name as a URL. */
export function allowedAudiences(provider: Provider): string[] {
	if (provider.oidc?.allowedAudiences?.length) return provider.oidc.allowedAudiences;
	return [`https://iam.googleapis.com/${provider.name}`, `//iam.googleapis.com/${provider.name}`];
}
