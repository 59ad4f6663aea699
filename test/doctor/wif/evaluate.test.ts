import {describe, expect, it} from 'vitest';
import {evaluateFederation} from '../../../src/doctor/wif/evaluate.js';
import {mergeFindings} from '../../../src/doctor/wif/findings.js';
import {parsePolicy} from '../../../src/doctor/wif/policy.js';
import {parseProvider} from '../../../src/doctor/wif/provider.js';
import {audienceProblems} from '../../../src/doctor/wif/provider-name.js';
import {fresh, githubActionsClaims, gitlabClaims, providerAudience, signed} from '../../support/ci-tokens.js';

// Workload identity federation judged without a request, on the token shapes GitHub Actions and GitLab publish
// (test/support/ci-tokens.ts cites them): each rule STS or IAM would apply, and the words doctor says when it fails.

const name = 'projects/123456789012/locations/global/workloadIdentityPools/ci-pool/providers/github';
const audience = `//iam.googleapis.com/${name}`;
const serviceAccount = 'deployer@my-project.iam.gserviceaccount.com';
const now = new Date();

/** The provider google-github-actions/auth's README sets up: its mapping and a condition on the owner. */
function githubProvider(changes: Record<string, unknown> = {}) {
	return parseProvider(
		{
			name,
			state: 'ACTIVE',
			attributeMapping: {
				'google.subject': 'assertion.sub',
				'attribute.actor': 'assertion.actor',
				'attribute.repository': 'assertion.repository',
				'attribute.repository_owner': 'assertion.repository_owner',
			},
			attributeCondition: "assertion.repository_owner == 'octo-org'",
			oidc: {issuerUri: 'https://token.actions.githubusercontent.com'},
			...changes,
		},
		'The provider',
	);
}

const githubToken = (changes: Record<string, unknown> = {}) =>
	signed(fresh(githubActionsClaims, {aud: providerAudience(name), ...changes}, now.getTime()));

const codes = (findings: Array<{code: string}>) => findings.map(finding => finding.code);

describe('the audience a federation config asks STS for', () => {
	it('a provider’s full name with the project number is right', () => {
		expect(audienceProblems(audience)).toEqual([]);
	});

	it('a pool is not a provider; a project ID is not a number; ${ } was never expanded (the corpus’s three)', () => {
		expect(audienceProblems('//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pool-name')).toEqual([
			'The audience names the pool pool-name, not a provider in it (…/providers/PROVIDER).',
		]);
		expect(
			audienceProblems('//iam.googleapis.com/projects/my-project-id/locations/global/workloadIdentityPools/my-pool/providers/gh-provider'),
		).toEqual(['The audience names the project by its ID (my-project-id); STS takes only the project NUMBER there.']);
		expect(audienceProblems('//iam.googleapis.com/${ secrets.GCP_WORKLOAD_IDENTITY_PROVIDER }')[0]).toMatch(/never expanded/);
		expect(audienceProblems(name)[0]).toMatch(/not a full resource name: it must start with \/\/iam\.googleapis\.com\//);
	});
});

describe('a GitHub Actions token against its provider', () => {
	it('the README’s provider and a token of octo-org: every rule holds, google.subject’s bytes counted', async () => {
		const {answer, findings} = evaluateFederation({audience, token: await githubToken(), provider: githubProvider(), now});
		expect(findings).toEqual([]);
		expect(answer).toMatchObject({
			'google.subject': 'repo:octo-org/octo-repo:environment:prod (40 of 127 bytes)',
			'attribute.repository': 'octo-org/octo-repo',
			condition: 'holds',
			issuer: 'https://token.actions.githubusercontent.com is the provider’s',
		});
	});

	it('a condition on another owner: the rule that fails and the claim value it saw', async () => {
		const condition = "assertion.repository_owner == 'octo-org' && attribute.repository == 'octo-org/infra'";
		const provider = githubProvider({attributeCondition: condition});
		const {findings} = evaluateFederation({audience, token: await githubToken(), provider, now});
		expect(findings[0]).toMatchObject({
			code: 'wif-attribute-condition',
			sentence:
				'The attribute condition fails at attribute.repository == "octo-org/infra": the token has ' +
				'attribute.repository = octo-org/octo-repo.',
		});
		expect(findings[0]!.fix).toBe(
			'gcloud iam workload-identity-pools providers update-oidc github --workload-identity-pool=ci-pool --location=global ' +
				'--attribute-condition=CONDITION',
		);
	});

	it('a condition on a claim the token lacks (attribute-mapping case: repositoryOwner): named as missing', async () => {
		const provider = githubProvider({attributeCondition: "assertion.repositoryOwner == 'octo-org'"});
		const {findings} = evaluateFederation({audience, token: await githubToken(), provider, now});
		expect(findings[0]!.sentence).toContain('the token has assertion.repositoryOwner = (not in the token)');
	});

	it('a long branch makes google.subject longer than 127 bytes', async () => {
		const sub = `repo:octo-org/octo-repo:ref:refs/heads/${'feature/a-very-long-branch-name-'.repeat(4)}`;
		const {findings, answer} = evaluateFederation({audience, token: await githubToken({sub}), provider: githubProvider(), now});
		expect(answer['google.subject']).toMatch(/\(167 of 127 bytes\)$/);
		expect(findings[0]).toMatchObject({code: 'wif-attribute-mapping'});
		expect(findings[0]!.sentence).toMatch(/^google\.subject is 167 bytes, over IAM's 127-byte limit/);
	});

	it('GitHub Enterprise’s own issuer against a provider of the public one: wif-issuer-mismatch, with the update', async () => {
		const token = await githubToken({iss: 'https://github.example.net/_services/token'});
		const {findings} = evaluateFederation({audience, token, provider: githubProvider(), now});
		expect(findings[0]).toMatchObject({code: 'wif-issuer-mismatch'});
		expect(findings[0]!.fix).toContain('--issuer-uri=https://github.example.net/_services/token');
	});

	it('GitHub’s default aud (the org URL) is not the provider’s: wif-token-audience', async () => {
		const token = await signed(fresh(githubActionsClaims, {}, now.getTime()));
		const {findings} = evaluateFederation({audience, token, provider: githubProvider(), now});
		expect(findings[0]).toMatchObject({code: 'wif-token-audience'});
		expect(findings[0]!.sentence).toContain(`https://github.com/octo-org`);
		expect(findings[0]!.sentence).toContain(providerAudience(name));
	});

	it('an expired token, and one issued in the future (clock skew)', async () => {
		const expired = await signed({...githubActionsClaims, aud: providerAudience(name)});
		expect(codes(evaluateFederation({audience, token: expired, provider: githubProvider(), now}).findings)).toContain('token-expired');
		const future = await githubToken({iat: Math.floor(now.getTime() / 1000) + 600});
		expect(codes(evaluateFederation({audience, token: future, provider: githubProvider(), now}).findings)).toContain('clock-skew');
	});

	it('the policy: a principalSet for the repository lets it in; one for another repository is a near miss with the exact fix', async () => {
		const token = await githubToken();
		const pool = 'projects/123456789012/locations/global/workloadIdentityPools/ci-pool';
		const member = (repository: string) => `principalSet://iam.googleapis.com/${pool}/attribute.repository/${repository}`;
		const allowed = parsePolicy({bindings: [{role: 'roles/iam.workloadIdentityUser', members: [member('octo-org/octo-repo')]}]}, 'P');
		const granted = evaluateFederation({audience, token, provider: githubProvider(), policy: allowed, serviceAccount, now});
		expect(granted.findings).toEqual([]);
		expect(granted.answer.policy).toBe(`${member('octo-org/octo-repo')} has roles/iam.workloadIdentityUser`);

		const other = parsePolicy({bindings: [{role: 'roles/iam.workloadIdentityUser', members: [member('octo-org/other')]}]}, 'P');
		const refused = evaluateFederation({audience, token, provider: githubProvider(), policy: other, serviceAccount, now});
		expect(refused.findings[0]!.code).toBe('wif-principal-binding');
		expect(refused.findings[0]!.sentence).toContain('wants attribute.repository = octo-org/other; the token maps "octo-org/octo-repo"');
		expect(refused.findings[0]!.fix).toBe(
			`gcloud iam service-accounts add-iam-policy-binding ${serviceAccount} --role=roles/iam.workloadIdentityUser ` +
				`--member=${member('octo-org/octo-repo')}`,
		);
	});
});

describe('a GitLab token against its provider', () => {
	const gitlab = 'projects/123456789012/locations/global/workloadIdentityPools/ci-pool/providers/gitlab';
	const provider = parseProvider(
		{
			name: gitlab,
			attributeMapping: {
				'google.subject': 'assertion.sub',
				'attribute.project_path': 'assertion.project_path',
				'attribute.ref_protected': 'assertion.ref_protected',
			},
			attributeCondition: "assertion.namespace_path == 'my-group' && assertion.ref_protected == 'true'",
			oidc: {issuerUri: 'https://gitlab.example.com', allowedAudiences: ['https://gitlab.example.com']},
		},
		'The provider',
	);

	it('a branch that is not protected fails the condition at ref_protected, with the value "false"', async () => {
		const token = await signed(fresh(gitlabClaims, {aud: 'https://gitlab.example.com'}, now.getTime()));
		const {findings, answer} = evaluateFederation({audience: `//iam.googleapis.com/${gitlab}`, token, provider, now});
		expect(answer['attribute.project_path']).toBe('my-group/my-project');
		expect(findings.map(finding => finding.sentence)).toEqual([
			'The attribute condition fails at assertion.ref_protected == "true": the token has assertion.ref_protected = false.',
		]);
	});

	it('the published aud (Vault’s) is not among the provider’s allowedAudiences', async () => {
		const token = await signed(fresh(gitlabClaims, {ref_protected: 'true'}, now.getTime()));
		const {findings} = evaluateFederation({audience: `//iam.googleapis.com/${gitlab}`, token, provider, now});
		expect(findings[0]!.sentence).toContain('its allowedAudiences are https://gitlab.example.com');
	});
});

describe('the causes, merged', () => {
	it('a finding of the answer’s code says it more exactly and takes its place; the others follow, surest first', () => {
		const answer = [{code: 'wif-attribute-condition' as const, sentence: 'generic', fix: 'describe'}];
		const merged = mergeFindings(answer, [
			{code: 'token-expired', weight: 100, sentence: 'expired', fix: null},
			{code: 'wif-attribute-condition', weight: 100, sentence: 'exact', fix: null},
		]);
		expect(merged).toEqual([
			{code: 'wif-attribute-condition', sentence: 'exact', fix: 'describe'},
			{code: 'token-expired', sentence: 'expired', fix: null},
		]);
	});
});
