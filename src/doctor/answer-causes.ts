import {command} from '../core/shell-quote.js';
import type {ReadAnswer} from '../core/answer.js';
import type {Cause} from '../core/cause.js';
import type {SentToken} from './causes.js';
import type {Target, TargetKind} from './target.js';

// Causes that only the answer's own words can tell: an API not enabled, a quota project, a scope, the permission a
// message names, a gateway behind Cloud Run's IAM, a URL that names no function. Each reads the structured answer
// (core/answer.ts), never a sentence of ours, and its fix names what the answer named. Pure; every rule cites the fixture of
// test/fixtures/real-world/ that shows the answer it reads.

export interface WeightedCause extends Cause {
	weight: number;
}

/** What a refused call showed, as causes.ts knows it. */
export interface ServiceAnswer {
	answer: ReadAnswer;
	target: Target;
	/** The product, from the host name or from who answered. */
	kind: TargetKind;
	token: SentToken;
	/** The caller's IAM member (`serviceAccount:…`, `user:…`, or a placeholder). */
	member: string;
	/** Whether the token's issuer is Google (or the emulator standing in for it). */
	googleSigned: boolean;
	/** Cloud Run's service name (a placeholder when the URL does not tell it) and `--region=…` where the URL names one. */
	service: string;
	region: string[];
	/** The source doctor minted with, when it did: `metadata` means a VM's token, whose scopes no client can widen. */
	sourceId?: string;
}

/**
 * The projects of the OAuth clients gcloud signs users in with: a user credential without a quota project is billed
 * there (google-api/dialogflow-billed-to-gcloud-project), so "not enabled in project 32555940559" means "set a quota
 * project", not "enable the API".
 */
export const oauthClientProjects: Record<string, string> = {
	'32555940559': "gcloud's",
	'764086051850': "application default credentials'",
};

/** The causes the answer itself names, most specific first. Empty when its words add nothing to the status. */
export function serviceAnswerCauses(seen: ServiceAnswer): WeightedCause[] {
	const {answer} = seen;
	const has = (signal: ReadAnswer['signals'][number]) => answer.signals.includes(signal);
	const causes: WeightedCause[] = [];
	const push = (cause: WeightedCause | undefined) => cause && causes.push(cause);

	if (has('quota-project-required') || (has('api-disabled') && billedToClientProject(answer))) push(quotaProjectMissing(seen));
	else if (has('api-disabled')) push(apiNotEnabled(seen));
	if (has('quota-project-denied')) push(quotaProjectDenied(seen));
	if (has('scope-insufficient')) push(scopeCause(seen));
	if (has('permission-denied') && !has('quota-project-denied')) push(permissionCause(seen));
	if (has('org-policy-denied')) push(orgPolicy(seen));
	if (has('member-type-unknown')) push(memberPrefix(seen));
	if (has('attribute-condition-required')) push(conditionRequired(seen));
	if (has('credentials-invalid') && seen.token.kind === 'self-signed-jwt') push(selfSignedAudience(seen));
	if (has('jwt-audience-not-allowed')) push(gatewayAudience(seen));
	if (has('jwt-issuer-not-configured')) push(gatewayIssuer(seen));
	if (has('jwks-fetch-failed')) push(gatewayKeys(seen));
	if (has('jwt-missing')) push(gatewayTokenLocation());
	push(gatewayBehindIam(seen));
	push(functionUrl(seen));
	push(customAudience(seen));
	return causes;
}

function billedToClientProject(answer: ReadAnswer): boolean {
	return answer.named.project !== undefined && answer.named.project in oauthClientProjects;
}

/** The project a Google API URL names (`/v1/projects/my-project/…`), the best guess for the user's own. */
function projectInUrl(url: URL): string | undefined {
	return /\/projects\/([a-z0-9][a-z0-9-]{3,61}[a-z0-9])(?:\/|$)/.exec(url.pathname)?.[1];
}

/** The API's service name, from the answer or from the host it was called at. */
function serviceOf(seen: ServiceAnswer): string | undefined {
	const host = seen.target.url.hostname;
	return seen.answer.named.service ?? (/^[a-z0-9-]+\.googleapis\.com$/.test(host) && host !== 'www.googleapis.com' ? host : undefined);
}

// google-api/user-adc-no-quota-project, google-api/fcm-no-quota-project, google-api/dialogflow-billed-to-gcloud-project
function quotaProjectMissing(seen: ServiceAnswer): WeightedCause {
	const {named} = seen.answer;
	const service = serviceOf(seen) ?? 'this API';
	const client = named.project ? oauthClientProjects[named.project] : undefined;
	const billed = client ? ` (the call was billed to project ${named.project}, ${client} OAuth client)` : '';
	return {
		code: 'quota-project',
		weight: 100,
		sentence:
			`User credentials reach ${service} only with a quota project, and none is set${billed}: the API is not missing from ` +
			`your project.`,
		fix: command('gcloud', 'auth', 'application-default', 'set-quota-project', projectInUrl(seen.target.url) ?? 'PROJECT_ID'),
	};
}

// google-api/reauth-api-disabled, google-api/calendar-access-not-configured, google-api/service-usage-disabled-legacy
function apiNotEnabled(seen: ServiceAnswer): WeightedCause {
	const service = serviceOf(seen);
	const project = seen.answer.named.project ?? projectInUrl(seen.target.url);
	return {
		code: 'api-not-enabled',
		weight: 100,
		sentence:
			`${service ?? 'The API'} is not enabled in project ${project ?? '(not named)'}, the project this call is billed to. ` +
			'An API just enabled can take a few minutes to answer.',
		fix: command('gcloud', 'services', 'enable', service ?? 'SERVICE.googleapis.com', `--project=${project ?? 'PROJECT_ID'}`),
	};
}

// google-api/billing-project-not-permitted, iam-credentials/quota-project-not-permitted, google-api/storage-user-project-…
function quotaProjectDenied(seen: ServiceAnswer): WeightedCause {
	const project = seen.answer.named.project ?? projectInUrl(seen.target.url);
	const who = seen.token.principal ?? 'The caller';
	return {
		code: 'quota-project',
		weight: 100,
		sentence:
			`${who} may not bill calls to project ${project ?? '(the quota project)'} (X-Goog-User-Project, the quota project): ` +
			'it needs serviceusage.services.use there (roles/serviceusage.serviceUsageConsumer), or send no quota project.',
		fix: command(
			...['gcloud', 'projects', 'add-iam-policy-binding', project ?? 'PROJECT_ID'],
			...[`--member=${seen.member}`, '--role=roles/serviceusage.serviceUsageConsumer'],
		),
	};
}

/**
 * Workspace APIs have scopes of their own that cloud-platform does not cover
 * (https://developers.google.com/identity/protocols/oauth2/scopes).
 */
const workspaceScopes: ReadonlyArray<[RegExp, string]> = [
	[/(^|\/)calendar(\/|$)|^calendar-json\./, 'https://www.googleapis.com/auth/calendar'],
	[/^gmail\.|(^|\/)gmail\//, 'https://mail.google.com/'],
	[/^people\.|(^|\/)contacts\//, 'https://www.googleapis.com/auth/contacts'],
	[/^(drive\.|www\.googleapis\.com\/drive)|(^|\/)drive\//, 'https://www.googleapis.com/auth/drive'],
	[/^sheets\./, 'https://www.googleapis.com/auth/spreadsheets'],
	[/^docs\./, 'https://www.googleapis.com/auth/documents'],
	[/^admin\.|(^|\/)admin\/directory\//, 'https://www.googleapis.com/auth/admin.directory.user'],
];

function scopeFor(seen: ServiceAnswer): string {
	const where = `${seen.target.url.hostname}${seen.target.url.pathname}`;
	return seen.answer.named.scope?.split(' ')[0] ?? workspaceScopes.find(([pattern]) => pattern.test(where))?.[1] ?? cloudPlatform;
}
const cloudPlatform = 'https://www.googleapis.com/auth/cloud-platform';

// google-api/logging-vm-access-scopes, google-api/datastore-vm-access-scopes, google-api/compute-delete-vm-access-scopes,
// google-api/secret-manager-token-without-cloud-platform-scope
function scopeCause(seen: ServiceAnswer): WeightedCause {
	const scope = scopeFor(seen);
	const uncovered = scope === cloudPlatform ? '' : ' (cloud-platform does not cover it)';
	if (seen.sourceId === 'metadata') {
		// A VM's access scopes cap every token its metadata server mints
		// (https://cloud.google.com/compute/docs/access/service-accounts#accesscopesiam).
		return {
			code: 'vm-access-scopes',
			weight: 100,
			sentence:
				`The VM's access scopes do not include ${scope}${uncovered}, and no client can widen a token its metadata server ` +
				'mints: change the scopes (the VM must be stopped first).',
			fix: command(
				...['gcloud', 'compute', 'instances', 'set-service-account', 'VM_NAME', '--zone=ZONE'],
				...[`--service-account=${seen.token.principal ?? 'SA_EMAIL'}`, `--scopes=${scope}`],
			),
		};
	}
	return {
		code: 'insufficient-scope',
		weight: 100,
		sentence: `The access token lacks the scope this API accepts: mint it with ${scope}${uncovered}.`,
		fix: command('tokscope', 'print-access-token', `--scopes=${scope}`),
	};
}

/** The predefined role that grants a permission an answer names (https://cloud.google.com/iam/docs/roles-permissions). */
const roleFor: Record<string, string> = {
	'iam.serviceaccounts.getaccesstoken': 'roles/iam.serviceAccountTokenCreator',
	'iam.serviceaccounts.getopenidtoken': 'roles/iam.serviceAccountOpenIdTokenCreator',
	'iam.serviceaccounts.signblob': 'roles/iam.serviceAccountTokenCreator',
	'iam.serviceaccounts.signjwt': 'roles/iam.serviceAccountTokenCreator',
	'iam.serviceaccounts.implicitdelegation': 'roles/iam.serviceAccountTokenCreator',
	'iam.serviceaccounts.actas': 'roles/iam.serviceAccountUser',
	'secretmanager.versions.access': 'roles/secretmanager.secretAccessor',
	'run.routes.invoke': 'roles/run.invoker',
	'cloudfunctions.functions.invoke': 'roles/cloudfunctions.invoker',
	'storage.objects.get': 'roles/storage.objectViewer',
	'storage.objects.create': 'roles/storage.objectCreator',
	'serviceusage.services.use': 'roles/serviceusage.serviceUsageConsumer',
};

// google-api/secret-manager-permission-denied, google-api/run-deploy-act-as-denied, iam-credentials/sign-blob-…,
// google-api/functions-deploy-region-unavailable
function permissionCause(seen: ServiceAnswer): WeightedCause | undefined {
	const {named} = seen.answer;
	const who = seen.token.principal ?? 'The caller';
	if (!named.permission) {
		if (!named.resource) return undefined;
		return {
			code: 'resource-not-found',
			weight: 95,
			sentence:
				`Google says the caller may not use ${named.resource}, "or it may not exist": check the name first (a location the ` +
				`API does not serve, a typo).`,
			fix: null,
		};
	}
	const permission = named.permission;
	const role = roleFor[permission.toLowerCase()] ?? (named.role && !/serviceUsageConsumer/.test(named.role) ? named.role : undefined);
	const on = named.resource ? ` on ${named.resource}` : named.serviceAccount ? ` on ${named.serviceAccount}` : '';
	const grant = role ? `it needs ${role}` : `it needs a role that includes ${permission}`;
	return {
		code: 'missing-permission',
		weight: 100,
		sentence:
			`${who} lacks ${permission}${on} (or that resource does not exist): ${grant}. A role just granted can take a minute ` +
			`or two to apply.`,
		fix: role ? grantCommand(seen, permission, role) : null,
	};
}

/** Where to grant a role: on the service account, on the secret, or on the project, as the permission and answer say. */
function grantCommand(seen: ServiceAnswer, permission: string, role: string): string {
	const {named} = seen.answer;
	const binding = [`--member=${seen.member}`, `--role=${role}`];
	if (/^iam\.serviceaccounts\./i.test(permission)) {
		const account = named.serviceAccount ?? /\/serviceAccounts\/([^/:]+@[^/:]+)/.exec(seen.target.url.pathname)?.[1];
		return command('gcloud', 'iam', 'service-accounts', 'add-iam-policy-binding', account ?? 'SA_EMAIL', ...binding);
	}
	const secret = /^projects\/([^/]+)\/secrets\/([^/]+)/.exec(named.resource ?? '');
	if (secret) return command('gcloud', 'secrets', 'add-iam-policy-binding', secret[2]!, `--project=${secret[1]}`, ...binding);
	const project = /^projects\/([^/]+)/.exec(named.resource ?? '')?.[1] ?? projectInUrl(seen.target.url) ?? 'PROJECT_ID';
	return command('gcloud', 'projects', 'add-iam-policy-binding', project, ...binding);
}

// google-api/run-set-iam-policy-all-users-org-policy, google-api/set-iam-policy-precondition-failure
function orgPolicy(seen: ServiceAnswer): WeightedCause {
	const constraint = seen.answer.named.constraint ?? 'constraints/iam.allowedPolicyMemberDomains';
	const project = projectInUrl(seen.target.url) ?? 'PROJECT_ID';
	return {
		code: 'org-policy-public-access',
		weight: 100,
		sentence:
			`An organisation policy (${constraint}, domain-restricted sharing) forbids this member here: allUsers cannot be ` +
			'granted, so keep the service private and call it with an ID token, or ask an organisation policy administrator.',
		fix: command(
			'gcloud',
			'resource-manager',
			'org-policies',
			'describe',
			constraint.replace(/^constraints\//, ''),
			`--project=${project}`,
			'--effective',
		),
	};
}

// google-api/iap-policy-member-without-type-prefix
function memberPrefix(seen: ServiceAnswer): WeightedCause {
	const member = seen.answer.named.member ?? 'EMAIL';
	const prefixed = `${/\.gserviceaccount\.com$/i.test(member) ? 'serviceAccount' : 'user'}:${member}`;
	return {
		code: 'member-prefix-missing',
		weight: 100,
		sentence: `The member ${member} was given without its type: IAM wants ${prefixed} (or group:, domain:).`,
		fix: null,
	};
}

// google-api/wif-provider-needs-attribute-condition: GitHub, GitLab and Terraform Cloud share one issuer for every
// organisation (https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines#conditions).
function conditionRequired(seen: ServiceAnswer): WeightedCause {
	return {
		code: 'wif-attribute-condition',
		weight: 100,
		sentence:
			`${seen.answer.message ?? 'The provider needs an attribute condition.'} Restrict the provider to your organisation ` +
			'with a condition on a mapped claim.',
		fix: command(
			...['gcloud', 'iam', 'workload-identity-pools', 'providers', 'update-oidc', 'PROVIDER', '--workload-identity-pool=POOL'],
			...['--location=global', "--attribute-condition=assertion.repository_owner == 'ORG'"],
		),
	};
}

// google-api/service-control-self-signed-jwt-wrong-audience
function selfSignedAudience(seen: ServiceAnswer): WeightedCause {
	const aud = seen.token.audiences.join(', ') || '(none)';
	const want = `https://${seen.target.url.hostname}/`;
	return {
		code: 'audience-mismatch',
		weight: 95,
		sentence: `Google APIs accept a service account's self-signed JWT only for their own audience (${want}); this one names ${aud}.`,
		fix: command('tokscope', 'print-access-token'),
	};
}

// api-gateway/esp-grpc-jwt-audience-not-allowed: the gateway names the audience as the fault; a service account's own
// JWT is a token ESP accepts (https://cloud.google.com/endpoints/docs/openapi/service-account-authentication).
function gatewayAudience(seen: ServiceAnswer): WeightedCause {
	const aud = seen.token.audiences.join(', ') || '(none)';
	const host = seen.target.url.hostname;
	const endpoints = /\.endpoints\.[a-z0-9-]+\.cloud\.goog$/.test(host) ? `https://${host}` : undefined;
	return {
		code: 'audience-mismatch',
		weight: 100,
		sentence:
			`The gateway does not accept the audience ${aud}: its API config lists others (x-google-audiences, or by default ` +
			`the service name${endpoints ? `, ${endpoints}` : ''}).`,
		fix: null,
	};
}

// https://cloud.google.com/endpoints/docs/openapi/troubleshoot-jwt ("401: Jwt issuer is not configured")
function gatewayIssuer(seen: ServiceAnswer): WeightedCause {
	const onRun = seen.target.url.hostname.endsWith('.run.app');
	return {
		code: 'gateway-issuer-not-configured',
		weight: 96,
		sentence:
			`The gateway's API config names no provider for the issuer ${seen.token.issuer ?? '(none)'} (x-google-issuer)` +
			(onRun ? '; on Cloud Run this is also what ESPv2 says when it was deployed without --allow-unauthenticated.' : '.'),
		fix: null,
	};
}

function gatewayKeys(seen: ServiceAnswer): WeightedCause {
	return {
		code: 'gateway-jwks-unreachable',
		weight: 96,
		sentence:
			`The gateway could not fetch the key set of the issuer ${seen.token.issuer ?? '(none)'} (x-google-jwks_uri): it is ` +
			`wrong or unreachable from Google.`,
		fix: null,
	};
}

// api-gateway/jwt-missing-bearer-prefix
function gatewayTokenLocation(): WeightedCause {
	return {
		code: 'gateway-jwt-location',
		weight: 96,
		sentence:
			'The gateway found no token although one was sent as Authorization: Bearer: its API config reads tokens elsewhere ' +
			'(x-google-jwt-locations; one entry per header, value_prefix "Bearer ").',
		fix: null,
	};
}

// api-gateway/espv2-on-cloud-run-without-allow-unauthenticated
function gatewayBehindIam(seen: ServiceAnswer): WeightedCause | undefined {
	const iamRefused = seen.answer.signals.includes('not-authorized-to-invoke') || seen.answer.writer === 'google-front-end';
	if (!iamRefused || seen.googleSigned || !seen.token.issuer || !['cloud-run', 'api-gateway', 'unknown'].includes(seen.kind))
		return undefined;
	return {
		code: 'gateway-behind-iam',
		weight: 97,
		sentence:
			`Cloud Run's own IAM check refused a token from ${seen.token.issuer} before the container saw it: a gateway (ESPv2) ` +
			'or an app that checks such tokens itself must let Cloud Run pass every request (allUsers as invoker).',
		fix: command(
			...['gcloud', 'run', 'services', 'add-iam-policy-binding', seen.service, ...seen.region],
			...['--member=allUsers', '--role=roles/run.invoker'],
		),
	};
}

// cloud-functions/path-without-function-name, cloud-functions/url-without-region
function functionUrl(seen: ServiceAnswer): WeightedCause | undefined {
	const {url} = seen.target;
	if (!url.hostname.endsWith('.cloudfunctions.net') || seen.answer.status !== 403) return undefined;
	const noRegion = !/^[a-z]+-[a-z]+\d+-/.test(url.hostname);
	const name = url.pathname.split('/').filter(Boolean)[0];
	return {
		code: 'wrong-url',
		weight: noRegion || !name ? 100 : 85,
		sentence: noRegion
			? `${url.hostname} names no region: a function is served at https://REGION-PROJECT_ID.cloudfunctions.net/NAME.`
			: `Cloud Functions answers 403, not 404, for a path that names no function: check that ${name ?? '(no name)'} exists in this ` +
				`region and project.`,
		fix: command('gcloud', 'functions', 'list'),
	};
}

/** A custom domain or load balancer in front of Cloud Run: its audience is refused unless the service lists it. */
function customAudience(seen: ServiceAnswer): WeightedCause | undefined {
	const {url} = seen.target;
	const aud = seen.token.audiences[0];
	const custom = seen.kind === 'cloud-run' && !url.hostname.endsWith('.run.app') && url.protocol === 'https:';
	if (!custom || seen.answer.status !== 401 || !seen.googleSigned || !aud || new URL(url.origin).origin !== safeOrigin(aud))
		return undefined;
	// https://cloud.google.com/run/docs/configuring/custom-audiences
	return {
		code: 'custom-audience-missing',
		weight: 90,
		sentence: `Cloud Run accepts its run.app URL as the audience; ${aud} works only once the service lists it as a custom audience.`,
		fix: command('gcloud', 'run', 'services', 'update', seen.service, ...seen.region, `--add-custom-audiences=${aud}`),
	};
}

function safeOrigin(text: string): string | undefined {
	try {
		return new URL(text).origin;
	} catch {
		return undefined;
	}
}
