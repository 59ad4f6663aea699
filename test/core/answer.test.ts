import {describe, expect, it} from 'vitest';
import {readAnswer, type Named, type Signal, type Writer} from '../../src/core/answer.js';
import {loadCorpus} from '../support/real-world-corpus.js';

// Every answer of the real-world corpus, read: who wrote it, what its words mean, what it names. A sentence Google
// really wrote that the reader misses, or misreads, fails here with the thread it came from.

const corpus = loadCorpus();

const expected: Record<string, {writer: Writer; signals: Signal[]; named?: Named}> = {
	'api-gateway/access-token-not-a-jwt': {writer: 'esp', signals: ['jwt-malformed']},
	'api-gateway/esp-grpc-jwt-audience-not-allowed': {writer: 'esp', signals: ['jwt-audience-not-allowed']},
	'api-gateway/espv2-on-cloud-run-without-allow-unauthenticated': {writer: 'google-front-end', signals: ['not-authorized-to-invoke']},
	'api-gateway/jwt-missing-bearer-prefix': {writer: 'esp', signals: ['jwt-missing']},
	'cloud-functions/audience-is-the-origin': {writer: 'google-front-end', signals: ['token-not-verified']},
	'cloud-functions/path-without-function-name': {writer: 'google-front-end', signals: ['client-not-permitted'], named: {path: '/about'}},
	'cloud-functions/url-without-region': {writer: 'google-error-page', signals: []},
	'cloud-run/deployed-without-unauthenticated-invocations': {
		writer: 'google-front-end',
		signals: ['client-not-permitted'],
		named: {path: '/'},
	},
	'cloud-run/private-service-anonymous-browser': {writer: 'google-front-end', signals: ['client-not-permitted'], named: {path: '/'}},
	'cloud-run/service-account-credential-sends-access-token': {
		writer: 'google-front-end',
		signals: ['client-not-permitted'],
		named: {path: '/endpoint/xxxxx'},
	},
	'google-api/api-key-with-quota-project': {
		writer: 'google-api',
		signals: ['quota-project-denied'],
		named: {permission: 'serviceusage.services.use', role: 'roles/serviceusage.serviceUsageConsumer', project: '<quota-project>'},
	},
	'google-api/billing-project-not-permitted': {
		writer: 'google-api',
		signals: ['quota-project-denied'],
		named: {permission: 'serviceusage.services.use', role: 'roles/serviceusage.serviceUsageConsumer', project: 'WWW'},
	},
	'google-api/calendar-access-not-configured': {
		writer: 'google-api',
		signals: ['api-disabled'],
		named: {service: 'calendar-json.googleapis.com', project: '{proj_id}'},
	},
	'google-api/compute-delete-vm-access-scopes': {writer: 'google-api', signals: ['scope-insufficient']},
	'google-api/datastore-vm-access-scopes': {writer: 'google-api', signals: ['scope-insufficient']},
	'google-api/dialogflow-billed-to-gcloud-project': {writer: 'google-api', signals: ['api-disabled'], named: {project: '32555940559'}},
	'google-api/fcm-no-quota-project': {writer: 'google-api', signals: ['quota-project-required'], named: {service: 'fcm.googleapis.com'}},
	'google-api/functions-deploy-region-unavailable': {
		writer: 'google-api',
		signals: ['permission-denied', 'may-not-exist'],
		named: {resource: 'locations/us-west1'},
	},
	'google-api/iap-policy-member-without-type-prefix': {
		writer: 'google-api',
		signals: ['member-type-unknown', 'invalid-argument'],
		named: {member: 'spinnaker-acc-1599740941@xxx.iam.gserviceaccount.com'},
	},
	'google-api/logging-vm-access-scopes': {writer: 'google-api', signals: ['scope-insufficient']},
	'google-api/reauth-api-disabled': {
		writer: 'google-api',
		signals: ['api-disabled'],
		named: {service: 'reauth.googleapis.com', project: '726549120613'},
	},
	'google-api/run-deploy-act-as-denied': {
		writer: 'google-api',
		signals: ['permission-denied', 'may-not-exist'],
		named: {permission: 'iam.serviceaccounts.actAs', serviceAccount: 'saffafsafa-compute@developer.gserviceaccount.com'},
	},
	'google-api/run-set-iam-policy-all-users-org-policy': {writer: 'google-api', signals: ['org-policy-denied']},
	'google-api/secret-manager-permission-denied': {
		writer: 'google-api',
		signals: ['permission-denied', 'may-not-exist'],
		named: {permission: 'secretmanager.versions.access', resource: 'projects/XXX/secrets/SlackSigningSecret/versions/latest'},
	},
	'google-api/secret-manager-token-without-cloud-platform-scope': {writer: 'google-api', signals: ['scope-insufficient']},
	'google-api/service-control-self-signed-jwt-wrong-audience': {writer: 'google-api', signals: ['credentials-invalid']},
	'google-api/service-usage-disabled-legacy': {
		writer: 'google-api',
		signals: ['api-disabled'],
		named: {service: 'serviceusage.googleapis.com', project: '1021909506549'},
	},
	'google-api/set-iam-policy-precondition-failure': {writer: 'google-api', signals: ['org-policy-denied']},
	'google-api/storage-user-project-serviceusage': {
		writer: 'google-api',
		signals: ['permission-denied', 'quota-project-denied'],
		named: {permission: 'serviceusage.services.use'},
	},
	'google-api/user-adc-no-quota-project': {
		writer: 'google-api',
		signals: ['quota-project-required'],
		named: {service: 'accesscontextmanager.googleapis.com'},
	},
	'google-api/wif-provider-needs-attribute-condition': {writer: 'google-api', signals: ['attribute-condition-required']},
	'iam-credentials/get-access-token-denied': {
		writer: 'google-api',
		signals: ['permission-denied', 'may-not-exist'],
		named: {permission: 'iam.serviceAccounts.getAccessToken'},
	},
	'iam-credentials/impersonation-without-scopes': {writer: 'google-api', signals: ['invalid-argument']},
	'iam-credentials/lifetime-over-an-hour': {writer: 'google-api', signals: ['lifetime-too-long']},
	'iam-credentials/quota-project-not-permitted': {
		writer: 'google-api',
		signals: ['quota-project-denied'],
		named: {permission: 'serviceusage.services.use', role: 'roles/serviceusage.serviceUsageConsumer', project: 'xxx-yyy'},
	},
	'iam-credentials/scope-is-a-cloud-run-url': {writer: 'google-api', signals: ['invalid-argument']},
	'iam-credentials/sign-blob-implicit-delegation': {
		writer: 'google-api',
		signals: ['permission-denied', 'may-not-exist'],
		named: {permission: 'iam.serviceAccounts.implicitDelegation'},
	},
	'iap/access-token-error-code-13': {writer: 'iap', signals: ['iap-error-code'], named: {errorCode: '13'}},
	'iap/aud-is-another-client-id': {
		writer: 'iap',
		signals: ['iap-audience'],
		named: {expectedAudience: 'XXXXXXX.apps.googleusercontent.com', sentAudience: 'YYYYYY.apps.googleusercontent.com'},
	},
	'iap/id-token-without-email': {writer: 'iap', signals: ['iap-no-email']},
	'metadata/account-not-attached-to-vm': {
		writer: 'metadata-server',
		signals: ['metadata-could-not-fetch'],
		named: {serviceAccount: 'firebase-adminsdk-XXXXX@XXXXX.iam.gserviceaccount.com'},
	},
	'metadata/gke-workload-identity-missing-binding': {
		writer: 'metadata-server',
		signals: ['permission-denied', 'may-not-exist', 'gke-workload-identity-denied'],
		named: {permission: 'iam.serviceAccounts.getAccessToken'},
	},
	'metadata/gke-workload-identity-not-ready': {writer: 'unknown', signals: []},
	'metadata/no-default-service-account-html-404': {
		writer: 'metadata-server',
		signals: ['metadata-not-found'],
		named: {path: '/computeMetadata/v1/instance/service-accounts/default/?recursive=true'},
	},
	'sts/attribute-condition-rejects': {writer: 'oauth', signals: ['sts-attribute-condition']},
	'sts/attribute-condition-rejects-foundation': {writer: 'oauth', signals: ['sts-attribute-condition']},
	'sts/audience-is-a-pool': {writer: 'oauth', signals: ['sts-audience-format']},
	'sts/issuer-does-not-match-provider': {
		writer: 'oauth',
		signals: ['sts-issuer-mismatch'],
		named: {issuer: 'https://github.<company>.net/_services/token', expectedIssuers: 'https://token.actions.githubusercontent.com/'},
	},
	'sts/mapped-attribute-over-127-bytes': {writer: 'oauth', signals: ['sts-attribute-too-long']},
	'sts/provider-expression-not-interpolated': {writer: 'oauth', signals: ['sts-audience-format']},
	'sts/provider-named-by-project-id': {writer: 'oauth', signals: ['sts-target-invalid']},
	'token-endpoint/dwd-client-not-authorised': {writer: 'oauth', signals: ['unauthorized-client']},
	'token-endpoint/dwd-unauthorized-client-headers': {writer: 'oauth', signals: ['unauthorized-client']},
	'token-endpoint/iap-audience-client-other-project': {writer: 'oauth', signals: ['audience-client-other-project']},
	'token-endpoint/invalid-jwt-signature': {writer: 'oauth', signals: ['invalid-jwt-signature']},
	'token-endpoint/invalid-jwt-signature-rotated-key': {writer: 'oauth', signals: ['invalid-jwt-signature']},
	'token-endpoint/invalid-rapt-go-client': {writer: 'oauth', signals: ['reauth-required']},
	'token-endpoint/invalid-rapt-headers': {writer: 'oauth', signals: ['reauth-required']},
	'token-endpoint/invalid-rapt-workspace-session': {writer: 'oauth', signals: ['reauth-required']},
	'token-endpoint/jwt-times-in-milliseconds': {writer: 'oauth', signals: ['jwt-times-invalid']},
	'token-endpoint/oauth-client-deleted': {writer: 'oauth', signals: ['client-deleted']},
	'token-endpoint/robot-is-disabled': {writer: 'oauth', signals: ['account-disabled']},
	'token-endpoint/service-account-deleted-or-disabled': {writer: 'oauth', signals: ['account-not-found']},
	'token-endpoint/testing-app-refresh-token-expired': {writer: 'unknown', signals: []},
};

describe('readAnswer: the real-world corpus', () => {
	it('has an expectation for every fixture, and a fixture for every expectation', () => {
		expect(Object.keys(expected).sort()).toEqual(corpus.map(entry => entry.name));
	});

	it.each(corpus)('$name', ({name, answer}) => {
		const read = readAnswer({status: answer.response.status, headers: answer.response.headers ?? {}, body: answer.response.body});
		const want = expected[name]!;
		expect({writer: read.writer, signals: read.signals, named: read.named}).toEqual({...want, named: want.named ?? {}});
		expect(read.status).toBe(answer.response.status);
		expect(read.message, 'one line that says what went wrong').toMatch(/\S/);
		expect(read.message!.length).toBeLessThanOrEqual(300);
	});
});

describe('readAnswer: each error model, read once', () => {
	it('google.rpc: ErrorInfo reason, domain and metadata; PreconditionFailure names the constraint', () => {
		const body = JSON.stringify({
			error: {
				code: 400,
				message: 'One or more users named in the policy do not belong to a permitted customer.',
				status: 'FAILED_PRECONDITION',
				details: [
					{
						'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
						reason: 'ORG_RESTRICTED',
						domain: 'iam.googleapis.com',
						metadata: {service: 'run.googleapis.com'},
					},
					{
						'@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
						violations: [
							{
								type: 'constraints/iam.allowedPolicyMemberDomains',
								subject: 'orgpolicy:projects/p',
								description: 'User allUsers is not in permitted organization.',
							},
						],
					},
				],
			},
		});
		const read = readAnswer({status: 400, headers: {}, body});
		expect(read.rpc).toMatchObject({code: 400, status: 'FAILED_PRECONDITION', reasons: ['ORG_RESTRICTED'], domain: 'iam.googleapis.com'});
		expect(read.named).toMatchObject({constraint: 'constraints/iam.allowedPolicyMemberDomains', service: 'run.googleapis.com'});
		expect(read.signals).toContain('org-policy-denied');
	});

	it('legacy errors[].reason counts like an ErrorInfo reason', () => {
		const body = JSON.stringify({
			error: {
				code: 403,
				message: 'Insufficient Permission',
				errors: [{domain: 'global', reason: 'insufficientPermissions', message: 'Insufficient Permission'}],
			},
		});
		expect(readAnswer({status: 403, headers: {}, body})).toMatchObject({writer: 'google-api', signals: ['scope-insufficient']});
	});

	it('WWW-Authenticate: its error, description and scopes, whatever the header name’s case or form', () => {
		const read = readAnswer({
			status: 403,
			headers: {
				'WWW-Authenticate': [
					'Bearer realm="https://accounts.google.com/", error="insufficient_scope", ' +
						'scope="https://www.googleapis.com/auth/cloud-platform openid"',
				],
			},
			body: '',
		});
		expect(read.challenge).toEqual({
			scheme: 'Bearer',
			error: 'insufficient_scope',
			scope: ['https://www.googleapis.com/auth/cloud-platform', 'openid'],
			realm: 'https://accounts.google.com/',
		});
		expect(read.signals).toEqual(['scope-insufficient']);
		expect(read.named.scope).toBe('https://www.googleapis.com/auth/cloud-platform openid');
	});

	it('the token endpoint: error, description, subtype and URI', () => {
		const body =
			'{"error":"invalid_grant","error_description":"reauth related error ' +
			'(invalid_rapt)","error_uri":"https://support.google.com/a/answer/9368756","error_subtype":"invalid_rapt"}';
		expect(readAnswer({status: 400, headers: {}, body}).oauth).toEqual({
			error: 'invalid_grant',
			description: 'reauth related error (invalid_rapt)',
			subtype: 'invalid_rapt',
			uri: 'https://support.google.com/a/answer/9368756',
		});
	});

	it('IAP is recognised by its words when the marker header is missing, and by the header alone', () => {
		const sentence =
			"Invalid IAP credentials: JWT audience doesn't match this application ('aud' claim (https://app.example) doesn't match " +
			'expected value (123-abc.apps.googleusercontent.com))';
		expect(readAnswer({status: 401, headers: {}, body: sentence}).writer).toBe('iap');
		expect(readAnswer({status: 403, headers: {'x-goog-iap-generated-response': 'true'}, body: 'Forbidden'}).writer).toBe('iap');
	});

	it('a JSON body cut short is read field by field', () => {
		const read = readAnswer({
			status: 403,
			headers: {},
			body: '{"error": {"code": 403, "message": "Permission \\"x\\" and \'iam.serviceAccounts.getAccessToken\' denied on resou',
		});
		expect(read).toMatchObject({
			writer: 'google-api',
			rpc: {code: 403, message: 'Permission "x" and \'iam.serviceAccounts.getAccessToken\' denied on resou'},
		});
	});

	it('HTML entities in Google Front End’s page are resolved before the path is read', () => {
		const body =
			'<html><body><h1>Error: Forbidden</h1>\n<h2>Your client does not have permission to get URL <code>/a&amp;b</code> from this ' +
			'server.</h2></body></html>';
		expect(readAnswer({status: 403, headers: {}, body}).named.path).toBe('/a&b');
	});
});

describe('readAnswer: hostile answers', () => {
	it('control and invisible characters in what a server names are shown as escapes, never passed to the terminal', () => {
		const body = JSON.stringify({
			error: {code: 403, status: 'PERMISSION_DENIED', message: "Permission 'a.b\u001b[2J.c' denied on resource 'x\u202ey'", details: []},
		});
		const read = readAnswer({status: 403, headers: {}, body});
		expect(read.message).toContain('\\u001b[2J');
		expect(read.message).toContain('\\u202e');
		expect(JSON.stringify(read)).not.toMatch(/[\p{Cc}\u202e]/u);
	});

	it('a huge body yields a one-line message of at most 300 characters and bounded values', () => {
		const body = `${'Invalid IAP credentials: '.padEnd(70_000, 'x')} doesn't match expected value (${'y'.repeat(5000)})`;
		const read = readAnswer({status: 401, headers: {}, body});
		expect(read.message!.length).toBeLessThanOrEqual(300);
		expect(read.message).not.toContain('\n');
		for (const value of Object.values(read.named)) expect(value.length).toBeLessThanOrEqual(500);
	});
});
