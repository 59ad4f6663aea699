import {terminalSafe} from '../../core/terminal-safe.js';

// The full resource name of a workload identity provider, as STS wants it in `audience` and as IAM's principal
// identifiers are built on: //iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID
// (https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token). Google's troubleshooting lists the usual
// slips: a pool instead of a provider, the project ID instead of its number, an unexpanded workflow expression.

export const iamResourcePrefix = '//iam.googleapis.com/';

export interface ProviderName {
	project: string;
	location: string;
	pool: string;
	provider?: string;
}

/** What is wrong with an audience as a provider's name, in one sentence each; empty when nothing is. */
export function audienceProblems(audience: string): string[] {
	const shown = terminalSafe(audience).slice(0, 300);
	if (/\$\{/.test(audience)) {
		return [
			`The audience ${shown} holds an expression that was never expanded: a workflow wrote \${ … } where it meant \${{ … }}, ` +
				'so the literal text was sent.',
		];
	}
	if (!audience.startsWith(iamResourcePrefix)) {
		return [`The audience ${shown} is not a full resource name: it must start with ${iamResourcePrefix}projects/PROJECT_NUMBER/….`];
	}
	const name = parseProviderName(audience);
	if (!name) {
		// Workforce identity federation names no project: locations/global/workforcePools/POOL/providers/ID.
		if (/^\/\/iam\.googleapis\.com\/locations\/[^/]+\/workforcePools\/[^/]+\/providers\/[^/]+$/.test(audience)) return [];
		return [
			`The audience ${shown} is not a provider's full resource name ` +
				`(${iamResourcePrefix}projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER).`,
		];
	}
	const problems: string[] = [];
	if (!/^\d+$/.test(name.project)) {
		problems.push(`The audience names the project by its ID (${terminalSafe(name.project)}); STS takes only the project NUMBER there.`);
	}
	if (!name.provider) problems.push(`The audience names the pool ${terminalSafe(name.pool)}, not a provider in it (…/providers/PROVIDER).`);
	return problems;
}

/** The parts of `//iam.googleapis.com/projects/P/locations/L/workloadIdentityPools/POOL[/providers/ID]` (the prefix optional). */
export function parseProviderName(name: string): ProviderName | undefined {
	const match =
		/^(?:\/\/iam\.googleapis\.com\/)?projects\/([^/]+)\/locations\/([^/]+)\/workloadIdentityPools\/([^/]+)(?:\/providers\/([^/]+))?$/.exec(
			name,
		);
	if (!match) return undefined;
	const [, project = '', location = '', pool = '', provider] = match;
	return {project, location, pool, ...(provider ? {provider} : {})};
}

/** `//iam.googleapis.com/projects/N/locations/L/workloadIdentityPools/POOL`: the pool every principal identifier starts with. */
export function poolResource(name: ProviderName): string {
	return `${iamResourcePrefix}projects/${name.project}/locations/${name.location}/workloadIdentityPools/${name.pool}`;
}
