import {iamMember} from './google.js';
import {command} from './shell-quote.js';
import type {ReadAnswer} from './answer.js';
import type {Cause} from './cause.js';

// Why a token could not be minted, read from the answer of the endpoint that refused (the token endpoint, IAM
// Credentials, STS, the metadata server): one sentence and the fix, naming the account, the permission or the setting
// the answer names. Pure; each rule cites the fixture of test/fixtures/real-world/ that shows its answer.

export interface MintContext {
	/** Which endpoint answered. */
	via: 'oauth' | 'iam' | 'sts' | 'metadata';
	/** The credential that asked: a user's refresh token, a service-account key, a federated (external) token. */
	credential?: 'user' | 'service-account' | 'external';
	/**
	 * For a user's refresh token: the command that signs in again, from the tool that made the credential (tokscope's own
	 * sign-in for a file tokscope's login saved), as the source knows it. Unset: chosen by `sourceId`.
	 */
	signInAgain?: string;
	/** The tokscope source (`login`, `gcloud`, `adc`, …), when the caller knows no sign-in command of its own. */
	sourceId?: string;
	/** The service account minted for or impersonated, when known. */
	serviceAccount?: string;
	/** Who asked (the principal calling IAM Credentials): the member a grant names; undefined when unknown. */
	caller?: string;
	/** The scopes asked for, when an access token was. */
	scopes?: string[];
	/** The access-token lifetime asked of IAM Credentials, in seconds. */
	lifetimeSeconds?: number;
	/** Whether this process runs in a GKE pod (KUBERNETES_SERVICE_HOST is set). */
	onGke?: boolean;
}

interface Weighted extends Cause {
	weight: number;
}

/** The causes the refusal names, most likely first; empty when its words do not tell. */
export function mintingCauses(answer: ReadAnswer, context: MintContext): Cause[] {
	const has = (signal: ReadAnswer['signals'][number]) => answer.signals.includes(signal);
	const account = context.serviceAccount ?? 'SA_EMAIL';
	const found: Weighted[] = [];
	const add = (code: Cause['code'], weight: number, sentence: string, fix: string | null) => found.push({code, weight, sentence, fix});

	// token-endpoint/invalid-rapt-*: a Workspace session-length policy (https://support.google.com/a/answer/9368756).
	if (has('reauth-required')) {
		add(
			'reauth-required',
			100,
			'Reauthentication is required (invalid_rapt): your Workspace administrator limits how long a Google Cloud session lasts, and ' +
				'it has ended; sign in again.',
			signInAgain(context),
		);
	}
	// token-endpoint/invalid-jwt-signature*: a deleted or rotated key, or a client_email that is not the key's account.
	if (has('invalid-jwt-signature')) {
		add(
			'invalid-jwt-signature',
			100,
			`The key in the file is not a live key of ${account} (Invalid JWT Signature): it was deleted or rotated, or client_email ` +
				`names another account; compare private_key_id with the account's keys.`,
			command('gcloud', 'iam', 'service-accounts', 'keys', 'list', `--iam-account=${account}`),
		);
	}
	// token-endpoint/jwt-times-in-milliseconds: tokscope signs with this machine's clock, so a wrong clock is likelier.
	if (has('jwt-times-invalid')) {
		add(
			'clock-skew',
			90,
			"The token endpoint refused the signed request as out of time (invalid_grant): this machine's clock is off.",
			command('sudo', 'timedatectl', 'set-ntp', 'true'),
		);
		add(
			'jwt-times-invalid',
			80,
			"The assertion's iat/exp are not a short-lived window around Google's time: seconds since the epoch, exp at most an hour after iat.",
			null,
		);
	}
	// token-endpoint/service-account-deleted-or-disabled, token-endpoint/oauth-client-deleted, token-endpoint/robot-is-disabled
	if (has('account-not-found') || has('client-deleted')) {
		add(
			'service-account-deleted',
			100,
			`The service account ${account} no longer exists (deleted, or disabled): a key outlives its account but cannot mint.`,
			command('gcloud', 'iam', 'service-accounts', 'describe', account),
		);
	}
	if (has('account-disabled')) {
		add(
			'service-account-disabled',
			100,
			`The service account ${account} is disabled.`,
			command('gcloud', 'iam', 'service-accounts', 'enable', account),
		);
	}
	// token-endpoint/dwd-*: https://support.google.com/a/answer/162106
	if (has('unauthorized-client')) {
		add(
			'dwd-not-authorised',
			100,
			`Domain-wide delegation is not authorised for ${account}'s client ID and these scopes: a Workspace super admin adds them at ` +
				`https://admin.google.com/ac/owl/domainwidedelegation (it can take hours to apply).`,
			null,
		);
	}
	// token-endpoint/testing-app-refresh-token-expired: https://developers.google.com/identity/protocols/oauth2#expiration
	if (has('grant-bad-request') && context.credential !== 'service-account') {
		add(
			'testing-app-refresh-expired',
			80,
			'The refresh token was refused (invalid_grant: Bad Request): refresh tokens of an OAuth app whose consent screen is in ' +
				'Testing die after 7 days; publish the app (In production) and sign in again.',
			signInAgain(context),
		);
	}
	// token-endpoint/iap-audience-client-other-project
	if (has('audience-client-other-project')) {
		add(
			'iap-client-other-project',
			100,
			"A user's ID token for IAP must come from an OAuth client in IAP's own project: create a Desktop client there and sign in " +
				'with it, or mint as a service account.',
			command(
				'tokscope',
				'print-identity-token',
				`--impersonate-service-account=${account}`,
				'--audiences=IAP_CLIENT_ID',
				'--include-email',
			),
		);
	}
	// sts/*: https://cloud.google.com/iam/docs/troubleshooting-workload-identity-federation
	const providers = command(
		'gcloud',
		'iam',
		'workload-identity-pools',
		'providers',
		'list',
		'--workload-identity-pool=POOL',
		'--location=global',
	);
	if (has('sts-audience-format') || has('sts-target-invalid')) {
		add(
			'wif-audience-format',
			100,
			'STS does not know the provider named as the audience: it must be ' +
				'//iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER (a provider, ' +
				'not a pool; the project number, not its ID; not deleted or disabled).',
			providers,
		);
	}
	if (has('sts-attribute-condition')) {
		add(
			'wif-attribute-condition',
			100,
			"The provider's attribute condition rejected this token: the claims it tests (repository, owner, branch) do not hold, or are " +
				'not mapped.',
			command(
				'gcloud',
				'iam',
				'workload-identity-pools',
				'providers',
				'describe',
				'PROVIDER',
				'--workload-identity-pool=POOL',
				'--location=global',
				'--format=value(attributeCondition,attributeMapping)',
			),
		);
	}
	if (has('sts-attribute-too-long')) {
		add(
			'wif-attribute-mapping',
			100,
			"A mapped attribute (google.subject, usually) is longer than IAM's 127 bytes: map a shorter claim.",
			providers,
		);
	}
	if (has('sts-issuer-mismatch')) {
		const issuer = answer.named.issuer ?? 'ISSUER';
		add(
			'wif-issuer-mismatch',
			100,
			`The token's issuer ${issuer} is not the provider's (${answer.named.expectedIssuers ?? 'another'}).`,
			command(
				'gcloud',
				'iam',
				'workload-identity-pools',
				'providers',
				'update-oidc',
				'PROVIDER',
				'--workload-identity-pool=POOL',
				'--location=global',
				`--issuer-uri=${issuer}`,
			),
		);
	}
	// metadata/gke-workload-identity-missing-binding: https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
	if (has('gke-workload-identity-denied')) {
		add(
			'gke-wi-binding',
			100,
			`GKE's metadata server said: "${answer.message ?? 'Unable to generate access token'}" — the pod's Kubernetes service account ` +
				`may not act as ${account}.`,
			workloadIdentityBinding(account, 'serviceAccount:PROJECT_ID.svc.id.goog[NAMESPACE/KSA_NAME]'),
		);
	} else if (has('permission-denied') && context.via === 'iam') {
		const permission = answer.named.permission ?? 'iam.serviceAccounts.getAccessToken';
		if (context.credential === 'external') {
			// iam-credentials/get-access-token-denied: the federated principal needs a binding on the account.
			add(
				'wif-principal-binding',
				100,
				`The federated identity may not act as ${account} (${permission} denied): no principalSet matching its attributes holds ` +
					`roles/iam.workloadIdentityUser on it.`,
				workloadIdentityBinding(
					account,
					'principalSet://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/POOL/' +
						'attribute.repository/OWNER/REPO',
				),
			);
		} else {
			const role = /getOpenIdToken/i.test(permission)
				? 'roles/iam.serviceAccountOpenIdTokenCreator'
				: 'roles/iam.serviceAccountTokenCreator';
			add(
				'missing-permission',
				100,
				`${context.caller ?? 'The caller'} lacks ${permission} on ${account} (IAM answered ${answer.status}): it needs ${role} on ` +
					'that service account. A role just granted can take a minute or two to apply.',
				command(
					...['gcloud', 'iam', 'service-accounts', 'add-iam-policy-binding', account],
					...[`--member=${iamMember(context.caller, 'MEMBER')}`, `--role=${role}`],
				),
			);
		}
	}
	// iam-credentials/quota-project-not-permitted
	if (has('quota-project-denied')) {
		const project = answer.named.project ?? 'PROJECT_ID';
		add(
			'quota-project',
			100,
			`The caller may not use project ${project} as its quota project (X-Goog-User-Project): it needs serviceusage.services.use ` +
				`there (roles/serviceusage.serviceUsageConsumer).`,
			command(
				...['gcloud', 'projects', 'add-iam-policy-binding', project],
				...[`--member=${iamMember(context.caller, 'MEMBER')}`, '--role=roles/serviceusage.serviceUsageConsumer'],
			),
		);
	}
	// iam-credentials/lifetime-over-an-hour: an hour asked and refused means IAM's clock and ours disagree.
	if (has('lifetime-too-long') && (context.lifetimeSeconds ?? 3600) <= 3600) {
		add(
			'clock-skew',
			100,
			"IAM Credentials counted the lifetime asked as more than an hour: this machine's clock is off (or ask for less, e.g. 3300 s).",
			command('sudo', 'timedatectl', 'set-ntp', 'true'),
		);
	}
	// iam-credentials/impersonation-without-scopes, iam-credentials/scope-is-a-cloud-run-url
	if (has('invalid-argument') && context.via === 'iam') {
		const scopes = context.scopes ?? [];
		const urls = scopes.filter(
			scope => !/^https:\/\/www\.googleapis\.com\/auth\/|^https:\/\/mail\.google\.com\/$|^openid$|^email$|^profile$/.test(scope),
		);
		if (scopes.length === 0) {
			add(
				'iam-scope-missing',
				100,
				'IAM Credentials was asked for an access token with no scope: give the credentials a scope (cloud-platform) before they mint.',
				command('tokscope', 'print-access-token', '--scopes=https://www.googleapis.com/auth/cloud-platform'),
			);
		} else if (urls.length > 0) {
			add(
				'wrong-token-kind',
				100,
				`${urls[0]} is not an OAuth scope: a service's URL is the audience of an ID token, which is what it wants.`,
				command('tokscope', 'print-identity-token', `--impersonate-service-account=${account}`, `--audiences=${urls[0]}`),
			);
		}
	}
	// metadata/no-default-service-account-html-404, metadata/gke-workload-identity-not-ready, metadata/account-not-attached-to-vm
	if (context.via === 'metadata' && answer.status === 404) {
		if (context.onGke) {
			add(
				'gke-metadata-not-ready',
				100,
				"GKE's metadata server answered 404: with Workload Identity it needs a few seconds after the pod starts; ask again before giving up.",
				null,
			);
		}
		add(
			'no-service-account',
			context.onGke ? 70 : 100,
			'The metadata server has no service account to mint for: none is attached to this VM.',
			command(
				'gcloud',
				'compute',
				'instances',
				'set-service-account',
				'VM_NAME',
				'--zone=ZONE',
				// None is attached: the one to attach is the reader's to name.
				'--service-account=SA_EMAIL',
				'--scopes=cloud-platform',
			),
		);
	}
	// A 500 for `default` passes by itself (breakage.ts cites one); for an account the URI names, it is not attached.
	const unattached = answer.named.serviceAccount;
	if (has('metadata-could-not-fetch') && unattached) {
		add(
			'metadata-account-not-attached',
			100,
			`The metadata server mints only for the accounts attached to this VM, and ${unattached} is not one of them: ask for ` +
				`default, or impersonate it.`,
			command('tokscope', 'print-access-token', `--impersonate-service-account=${unattached}`),
		);
	}
	return found.sort((a, b) => b.weight - a.weight).map(({code, sentence, fix}) => ({code, sentence, fix}));
}

/** Signing in again, with the tool that made the credential (tokscope's own sign-in when that is the source). */
function signInAgain(context: MintContext): string {
	if (context.signInAgain) return context.signInAgain;
	if (context.sourceId === 'login') return command('tokscope', 'login', '--client-secret', 'CLIENT_SECRET_FILE');
	if (context.sourceId === 'gcloud') return command('gcloud', 'auth', 'login');
	return command('gcloud', 'auth', 'application-default', 'login');
}

/** The binding that lets a workload identity (a GKE service account, a federated principalSet) act as `account`. */
function workloadIdentityBinding(account: string, member: string): string {
	return command(
		'gcloud',
		'iam',
		'service-accounts',
		'add-iam-policy-binding',
		account,
		'--role=roles/iam.workloadIdentityUser',
		`--member=${member}`,
	);
}
