import {generateKeyPair, SignJWT} from 'jose';

// The OIDC tokens CI systems hand their jobs, with the example claims each vendor publishes (times moved to now, and
// aud set to what the job asks for, as google-github-actions/auth and GitLab's id_tokens do). Signed with a key made
// here: STS checks the issuer's keys, which no test can reach; the shapes are what matter.

/**
 * GitHub Actions' example payload, "Understanding the OIDC token":
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/
 * about-security-hardening-with-openid-connect#understanding-the-oidc-token (one URL, cut in two here)
 */
export const githubActionsClaims = {
	jti: 'example-id',
	sub: 'repo:octo-org/octo-repo:environment:prod',
	environment: 'prod',
	aud: 'https://github.com/octo-org',
	ref: 'refs/heads/main',
	sha: 'example-sha',
	repository: 'octo-org/octo-repo',
	repository_owner: 'octo-org',
	actor_id: '12',
	repository_visibility: 'private',
	repository_id: '74',
	repository_owner_id: '65',
	run_id: 'example-run-id',
	run_number: '10',
	run_attempt: '2',
	runner_environment: 'github-hosted',
	actor: 'octocat',
	workflow: 'example-workflow',
	head_ref: '',
	base_ref: '',
	event_name: 'workflow_dispatch',
	ref_type: 'branch',
	job_workflow_ref: 'octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main',
	iss: 'https://token.actions.githubusercontent.com',
	nbf: 1632492967,
	exp: 1632493867,
	iat: 1632493567,
};

/**
 * GitLab's example ID token payload, "Token payload":
 * https://docs.gitlab.com/ci/secrets/id_token_authentication/#token-payload
 */
export const gitlabClaims = {
	namespace_id: '72',
	namespace_path: 'my-group',
	project_id: '20',
	project_path: 'my-group/my-project',
	user_id: '1',
	user_login: 'sample-user',
	user_email: 'sample-user@example.com',
	pipeline_id: '574',
	pipeline_source: 'push',
	job_id: '302',
	ref: 'feature-branch-1',
	ref_type: 'branch',
	ref_path: 'refs/heads/feature-branch-1',
	ref_protected: 'false',
	environment: 'test-environment2',
	environment_protected: 'false',
	deployment_tier: 'testing',
	environment_action: 'start',
	runner_id: 1,
	runner_environment: 'self-hosted',
	sha: '714a629c0b401fdce83e847fc9589983fc6f46bc',
	project_visibility: 'public',
	ci_config_ref_uri: 'gitlab.example.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main',
	ci_config_sha: '714a629c0b401fdce83e847fc9589983fc6f46bc',
	jti: '235b3a54-b797-45c7-ae9a-f72d7bc6ef5b',
	iss: 'https://gitlab.example.com',
	iat: 1681395193,
	nbf: 1681395188,
	exp: 1681398793,
	sub: 'project_path:my-group/my-project:ref_type:branch:ref:feature-branch-1',
	aud: 'https://vault.example.com',
};

/** The provider's default audience, the one google-github-actions/auth asks GitHub for. */
export function providerAudience(providerName: string): string {
	return `https://iam.googleapis.com/${providerName}`;
}

/** The claims issued now (5 minutes' life, as GitHub's), with the changes given. */
export function fresh(claims: Record<string, unknown>, changes: Record<string, unknown> = {}, now = Date.now()): Record<string, unknown> {
	const iat = Math.floor(now / 1000);
	return {...claims, nbf: iat - 5, iat, exp: iat + 300, ...changes};
}

let key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'] | undefined;

/** A JWT carrying the claims, RS256 as both vendors sign. */
export async function signed(claims: Record<string, unknown>): Promise<string> {
	key ??= (await generateKeyPair('RS256')).privateKey;
	return new SignJWT(claims).setProtectedHeader({alg: 'RS256', typ: 'JWT', kid: 'test-key'}).sign(key);
}
