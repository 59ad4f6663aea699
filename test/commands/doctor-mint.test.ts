import {existsSync} from 'node:fs';
import {readFile, utimes, writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {MintReport} from '../../src/doctor/mint-report.js';
import {emulatorEnvironment} from '../../src/emulator/environment.js';
import {runCli, type CliResult} from '../support/cli.js';
import {useFixture} from '../support/fixture.js';
import {fresh, githubActionsClaims, providerAudience, signed} from '../support/ci-tokens.js';
import {loadCorpus} from '../support/real-world-corpus.js';

// `tokscope doctor` without a URL, built, against the emulator: each step of the chain shown with its input, its answer
// and its time; each test breaks one step (with the answer Google really gave, from test/fixtures/real-world/) and
// expects the chain to stop there with that answer's cause first.

const fixture = useFixture();
let env: NodeJS.ProcessEnv;
const corpus = new Map(loadCorpus().map(entry => [entry.name, entry.answer]));

beforeAll(() => {
	env = fixture.env(emulatorEnvironment(fixture.emulator, fixture.files));
});
afterEach(() => fixture.emulator.heal());

async function doctor(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult & {report: MintReport}> {
	const result = await runCli(['doctor', ...args, '--json'], {env: {...env, ...extra}});
	return {...result, report: JSON.parse(result.stdout) as MintReport};
}

const kinds = (report: MintReport) => report.steps.map(step => `${step.step}${step.ok ? '' : ' ✗'}`);

/** Plays a real answer of the corpus at the endpoint whose path matches. */
function playReal(match: string | RegExp, name: string): void {
	const answer = corpus.get(name);
	if (!answer) throw new Error(`no corpus answer ${name}`);
	fixture.emulator.setFault(match, {status: answer.response.status, body: answer.response.body});
}

describe.skipIf(!existsSync(resolve('dist/cli.js')))('tokscope doctor without a URL: the minting chain', () => {
	it('a key file mints: the credential found and why, the token endpoint’s exchange, the token; exit 0', async () => {
		const {code, report} = await doctor([]);
		expect(code).toBe(0);
		expect(Object.keys(report).slice(0, 8)).toEqual(['url', 'method', 'status', 'accepted', 'target', 'token', 'causes', 'steps']);
		expect(report).toMatchObject({accepted: true, status: 200, target: {kind: 'mint', source: 'adc', want: 'access-token'}});
		expect(kinds(report)).toEqual(['credential', 'token-endpoint', 'minted']);
		expect(report.steps[0]!.answer.found).toBe(
			`service_account file from $GOOGLE_APPLICATION_CREDENTIALS (${fixture.files.serviceAccountKey})`,
		);
		expect(report.steps[1]).toMatchObject({method: 'POST', url: `${fixture.emulator.url}/token`, status: 200});
		expect(report.steps[1]!.input.grant).toMatch(/^urn:ietf:params:oauth:grant-type:jwt-bearer/);
		expect(report.steps[1]!.ms).toBeTypeOf('number');
		expect(report.token).toMatchObject({kind: 'google-access-token', principal: fixture.emulator.serviceAccountEmail});
		// The token is never printed, only masked.
		expect(report.steps.at(-1)!.answer.token).toMatch(/masked\)$/);
		expect(JSON.stringify(report)).not.toMatch(/ya29\.[\w-]{20}/);
	});

	it('ADC’s links: the ones skipped and why, before the metadata server answers', async () => {
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: ''});
		expect(code).toBe(0);
		expect(kinds(report)).toEqual(['credential', 'metadata', 'minted']);
		const credential = report.steps[0]!.answer;
		expect(credential.found).toBe(`the metadata server at ${fixture.emulator.host}`);
		expect(Object.values(credential).join('\n')).toContain('GOOGLE_APPLICATION_CREDENTIALS is set but empty');
	});

	it('federation: the subject token read and masked, the STS exchange, the impersonation, the token', async () => {
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: fixture.files.externalAccount});
		expect(code).toBe(0);
		expect(kinds(report)).toEqual(['credential', 'subject-token', 'federation', 'sts', 'impersonation', 'minted']);
		const subject = report.steps[1]!;
		expect(subject.input.from).toBe(`the file ${fixture.files.externalSubjectToken} (credential_source.file)`);
		const raw = (await readFile(fixture.files.externalSubjectToken, 'utf8')).trim();
		expect(JSON.stringify(report)).not.toContain(raw);
		expect(report.steps[2]!.answer.audience).toBe('a provider’s full resource name');
		expect(report.steps[3]!.input.audience).toMatch(/^\/\/iam\.googleapis\.com\/projects\/123456789012\/.*\/providers\/tokscope-provider$/);
		expect(report.steps[4]!.input['service account']).toBe('tokscope-target@tokscope-demo.iam.gserviceaccount.com');
	});

	it('STS refuses (the attribute condition): the chain stops there, exit 1, the cause first', async () => {
		playReal('/v1/token', 'sts/attribute-condition-rejects');
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: fixture.files.externalAccount});
		expect(code).toBe(1);
		expect(kinds(report)).toEqual(['credential', 'subject-token', 'federation', 'sts ✗']);
		expect(report).toMatchObject({status: 400, accepted: false, url: `${fixture.emulator.url}/v1/token`, token: null});
		expect(report.steps[3]!.answer).toMatchObject({
			error: 'unauthorized_client',
			message: 'The given credential is rejected by the attribute condition.',
		});
		expect(report.causes[0]!.code).toBe('wif-attribute-condition');
	});

	it('IAM refuses the federated principal: wif-principal-binding, with the binding to add', async () => {
		playReal(':generateAccessToken', 'iam-credentials/get-access-token-denied');
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: fixture.files.externalAccount});
		expect(code).toBe(1);
		expect(kinds(report)).toEqual(['credential', 'subject-token', 'federation', 'sts', 'impersonation ✗']);
		expect(report.causes[0]).toMatchObject({code: 'wif-principal-binding'});
		expect(report.causes[0]!.fix).toContain(
			'gcloud iam service-accounts add-iam-policy-binding tokscope-target@tokscope-demo.iam.gserviceaccount.com',
		);
	});

	it('a user credential under a Workspace session policy: reauth-required, signed in again with gcloud', async () => {
		playReal('/token', 'token-endpoint/invalid-rapt-workspace-session');
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser});
		expect(code).toBe(1);
		expect(kinds(report)).toEqual(['credential', 'token-endpoint ✗']);
		expect(report.steps[1]!.answer.error).toBe('invalid_grant (invalid_rapt)');
		expect(report.causes[0]).toMatchObject({code: 'reauth-required', fix: 'gcloud auth application-default login'});
	});

	it('a VM without a service account: the metadata server’s 404, no-service-account', async () => {
		playReal(/\/service-accounts\/default\/token$/, 'metadata/no-default-service-account-html-404');
		const {code, report} = await doctor(['--source', 'metadata']);
		expect(code).toBe(1);
		expect(kinds(report)).toEqual(['credential', 'metadata ✗']);
		expect(report.causes[0]!.code).toBe('no-service-account');
	});

	it('nothing found: the credential step fails, exit 2, ADC’s reasons said', async () => {
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: '', GCE_METADATA_HOST: '127.0.0.1:1'});
		expect(code).toBe(2);
		expect(kinds(report)).toEqual(['credential ✗']);
		expect(report).toMatchObject({status: null, url: null, accepted: false});
		expect(report.error).toMatch(/^Application Default Credentials found nothing/);
	});

	it('STS unreachable: the exchange has no answer, exit 2', async () => {
		const config = JSON.parse(await readFile(fixture.files.externalAccount, 'utf8')) as Record<string, unknown>;
		const path = join(fixture.dir, 'dead-sts.json');
		await writeFile(path, JSON.stringify({...config, token_url: 'http://127.0.0.1:1/v1/token'}));
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: path});
		expect(code).toBe(2);
		expect(kinds(report)).toEqual(['credential', 'subject-token', 'federation', 'sts ✗']);
		expect(report.steps[3]!.answer.error).toBeTruthy();
	});

	it('the human report: each step numbered with its time, then the causes with their fixes', async () => {
		playReal('/token', 'token-endpoint/invalid-rapt-workspace-session');
		const result = await runCli(['doctor'], {env: {...env, GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser}});
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^✗ refused: HTTP 400 from OAuth token endpoint, asking for an access token\n/);
		expect(result.stdout).toMatch(/ {2}1\. ✓ Find the credential \(\d+ ms\)/);
		expect(result.stdout).toMatch(/ {2}2\. ✗ OAuth token endpoint \(\d+ ms\)/);
		expect(result.stdout).toContain('Likely causes, most likely first\n  1. reauth-required: ');
		expect(result.stdout).toContain('     fix: gcloud auth application-default login');
	});

	it('--token without a URL is one sentence, exit 2', async () => {
		const result = await runCli(['doctor', '--token', 'x'], {env});
		expect(result.code).not.toBe(0);
		expect(result.stderr).toBe('tokscope: --token needs the URL to send it to: tokscope doctor URL --token T.\n');
	});
});

// Workload identity federation with the rules evaluated: the emulator's STS plays a provider (and IAM a policy) with
// the same CEL evaluator, doctor runs them on the token with --provider / --sa-policy and names the rule that fails.
describe.skipIf(!existsSync(resolve('dist/cli.js')))('tokscope doctor: workload identity federation evaluated', () => {
	const providerName = 'projects/123456789012/locations/global/workloadIdentityPools/tokscope-pool/providers/tokscope-provider';
	const target = 'tokscope-target@tokscope-demo.iam.gserviceaccount.com';
	const member = (repository: string) =>
		`principalSet://iam.googleapis.com/${providerName.replace(/\/providers\/.*$/, '')}/attribute.repository/${repository}`;
	const provider = (condition: string) => ({
		name: providerName,
		state: 'ACTIVE',
		attributeMapping: {'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository'},
		attributeCondition: condition,
		oidc: {issuerUri: 'https://token.actions.githubusercontent.com'},
	});

	/** A federation config reading a GitHub Actions token (minted for the provider, as google-github-actions/auth asks). */
	async function githubConfig(changes: Record<string, unknown> = {}): Promise<{config: string; token: string}> {
		const token = join(fixture.dir, 'github-token.jwt');
		await writeFile(token, await signed(fresh(githubActionsClaims, {aud: providerAudience(providerName), ...changes})));
		const base = JSON.parse(await readFile(fixture.files.externalAccount, 'utf8')) as Record<string, unknown>;
		const config = join(fixture.dir, 'github-config.json');
		await writeFile(config, JSON.stringify({...base, credential_source: {file: token}}));
		return {config, token};
	}
	async function file(name: string, content: unknown): Promise<string> {
		const path = join(fixture.dir, name);
		await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
		return path;
	}
	afterEach(async () => {
		await fixture.emulator.setWorkloadProvider(null);
		await fixture.emulator.setServiceAccountPolicy(target, null);
	});

	it('STS refuses by the condition; with --provider doctor names the failing rule and the claim it saw', async () => {
		const rules = provider("assertion.repository_owner == 'octo-org' && attribute.repository == 'octo-org/infra'");
		await fixture.emulator.setWorkloadProvider(rules);
		const {config} = await githubConfig();
		const bare = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: config});
		expect(bare.code).toBe(1);
		expect(bare.report.steps.at(-1)!.answer.message).toBe('The given credential is rejected by the attribute condition.');
		expect(bare.report.causes[0]!.code).toBe('wif-attribute-condition');

		const {code, report} = await doctor(['--provider', await file('provider.json', rules)], {GOOGLE_APPLICATION_CREDENTIALS: config});
		expect(code).toBe(1);
		expect(kinds(report)).toEqual(['credential', 'subject-token', 'federation ✗', 'sts ✗']);
		expect(report.steps[2]!.answer).toMatchObject({
			'google.subject': 'repo:octo-org/octo-repo:environment:prod (40 of 127 bytes)',
			condition: 'fails at attribute.repository == "octo-org/infra"',
		});
		expect(report.causes[0]).toMatchObject({
			code: 'wif-attribute-condition',
			sentence:
				'The attribute condition fails at attribute.repository == "octo-org/infra": the token has attribute.repository = octo-org/octo-repo.',
		});
	});

	it('STS refuses another issuer in Google’s words: wif-issuer-mismatch naming both', async () => {
		await fixture.emulator.setWorkloadProvider(provider("assertion.repository_owner == 'octo-org'"));
		const {config} = await githubConfig({iss: 'https://github.example.net/_services/token'});
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: config});
		expect(code).toBe(1);
		expect(report.causes[0]!.code).toBe('wif-issuer-mismatch');
		expect(report.causes[0]!.sentence).toContain('https://github.example.net/_services/token');
	});

	it('IAM refuses a principal no member matches; with --sa-policy the near miss and the exact binding', async () => {
		const rules = provider("assertion.repository_owner == 'octo-org'");
		await fixture.emulator.setWorkloadProvider(rules);
		const policy = {bindings: [{role: 'roles/iam.workloadIdentityUser', members: [member('octo-org/other')]}]};
		await fixture.emulator.setServiceAccountPolicy(target, policy);
		const {config} = await githubConfig();
		const given = ['--provider', await file('provider.json', rules), '--sa-policy', await file('policy.json', policy)];
		const {code, report} = await doctor(given, {GOOGLE_APPLICATION_CREDENTIALS: config});
		expect(code).toBe(1);
		expect(kinds(report)).toEqual(['credential', 'subject-token', 'federation ✗', 'sts', 'impersonation ✗']);
		expect(report.causes[0]!.code).toBe('wif-principal-binding');
		expect(report.causes[0]!.sentence).toContain('wants attribute.repository = octo-org/other; the token maps "octo-org/octo-repo"');
		expect(report.causes[0]!.fix).toBe(
			`gcloud iam service-accounts add-iam-policy-binding ${target} --role=roles/iam.workloadIdentityUser ` +
				`--member=${member('octo-org/octo-repo')}`,
		);
		// With the binding the fix names, IAM lets it through.
		await fixture.emulator.setServiceAccountPolicy(target, {
			bindings: [{role: 'roles/iam.workloadIdentityUser', members: [member('octo-org/octo-repo')]}],
		});
		expect((await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: config})).code).toBe(0);
	});

	it('--subject-token-file stands in for the config’s token, and judges it without any credential too', async () => {
		const rules = provider("assertion.repository_owner == 'octo-org'");
		await fixture.emulator.setWorkloadProvider(rules);
		const other = await file(
			'other-owner.jwt',
			await signed(fresh(githubActionsClaims, {aud: providerAudience(providerName), repository_owner: 'evil'})),
		);
		const providerFile = await file('provider.json', rules);
		const swapped = await doctor(['--subject-token-file', other, '--provider', providerFile], {
			GOOGLE_APPLICATION_CREDENTIALS: fixture.files.externalAccount,
		});
		expect(swapped.code).toBe(1);
		expect(swapped.report.steps[1]!.input.from).toBe(`the file ${other} (--subject-token-file)`);
		expect(swapped.report.causes[0]!.sentence).toContain('the token has assertion.repository_owner = evil');

		const alone = await doctor(['--subject-token-file', other, '--provider', providerFile], {
			GOOGLE_APPLICATION_CREDENTIALS: '',
			GCE_METADATA_HOST: '127.0.0.1:1',
		});
		expect(alone.code).toBe(2);
		expect(kinds(alone.report)).toEqual(['credential ✗', 'subject-token', 'federation ✗']);
		expect(alone.report.causes.map(cause => cause.code)).toContain('wif-attribute-condition');
	});

	it('bad input is one sentence each: a provider file that is not one, CEL the evaluator rejects, a token that is not a JWT', async () => {
		const notProvider = await file('not-provider.json', {type: 'service_account'});
		const badCel = await file('bad-cel.json', {...provider("assertion.repository_owner == 'octo-org' &&"), name: providerName});
		const notJwt = await file('not-a-jwt.txt', 'hello');
		const run = (args: string[]) => runCli(['doctor', ...args], {env});
		const first = await run(['--provider', notProvider]);
		expect(first).toMatchObject({code: 2, stdout: ''});
		expect(first.stderr).toMatch(/^tokscope: The provider file \S+ is not a workload identity pool provider: its "name" is not /);
		expect(first.stderr.trim().split('\n')).toHaveLength(1);
		const second = await run(['--provider', badCel]);
		expect(second.code).toBe(2);
		expect(second.stderr).toMatch(/^tokscope: The provider file \S+ has an attributeCondition that is not CEL \(".*"\): \d+:\d+: .+\.\n$/);
		const third = await run(['--subject-token-file', notJwt]);
		expect(third.code).toBe(2);
		expect(third.stderr).toBe(
			`tokscope: The subject token file ${notJwt} does not hold a JWT (header.payload.signature, as GitHub Actions, GitLab and ` +
				'other OIDC issuers hand out).\n',
		);
	});
});

// A user's refresh token, foreseen: the sign-in's age, Testing's 7 days, reauthentication, and why a refresh token is
// refused, most likely first, with the fix of the tool that made the credential.
describe.skipIf(!existsSync(resolve('dist/cli.js')))('tokscope doctor: a user’s sign-in', () => {
	const dayMs = 24 * 3600 * 1000;
	/** A file `tokscope login --save` wrote: the user's own OAuth client (not gcloud's), written `daysAgo` days ago. */
	async function ownClientFile(daysAgo: number, refreshToken?: string): Promise<string> {
		const gcloudFile = JSON.parse(await readFile(fixture.files.authorizedUser, 'utf8')) as Record<string, unknown>;
		const {id, secret} = fixture.emulator.oauthClient;
		const path = join(fixture.dir, `own-client-${daysAgo}.json`);
		const file = {...gcloudFile, client_id: id, client_secret: secret, refresh_token: refreshToken ?? gcloudFile.refresh_token};
		await writeFile(path, JSON.stringify(file));
		const when = new Date(Date.now() - daysAgo * dayMs);
		await utimes(path, when, when);
		return path;
	}

	it('the sign-in’s age, and a warning when an app in Testing would end it within a day', async () => {
		const path = await ownClientFile(6.5);
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: path});
		expect(code).toBe(0);
		expect(report.steps[0]!.answer['signed in']).toBe(`6d 12h ago (the time ${path} was written)`);
		expect(report.steps[0]!.notes).toHaveLength(1);
		// The file's time is whole seconds: twelve hours left, give or take the seconds this test took.
		const [warning] = report.steps[0]!.notes!;
		expect(warning).toMatch(/^If this OAuth app's consent screen is in Testing, its refresh tokens end 7 days after sign-in: /);
		expect(warning).toMatch(/this one in (12h 00m|11h 59m)\. Publish the app \(In production\) or sign in again before then\.$/);
		// gcloud's own client is published: its age is shown, with no Testing warning.
		const gcloud = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser});
		expect(gcloud.report.steps[0]!.answer['signed in']).toMatch(/ ago \(the time .+ was written\)$/);
		expect(gcloud.report.steps[0]!.notes).toBeUndefined();
	});

	it('"Token has been expired or revoked." eight days after a sign-in with your own app: Testing first, then the others', async () => {
		const path = await ownClientFile(8, '1//revoked-refresh-token');
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: path});
		expect(code).toBe(1);
		expect(report.steps[1]!.answer.message).toBe('Token has been expired or revoked.');
		expect(report.causes.map(cause => cause.code)).toEqual([
			'testing-app-refresh-expired',
			'refresh-token-revoked',
			'refresh-token-limit',
			'refresh-token-unused',
		]);
		expect(report.causes[0]!.sentence).toContain('(this sign-in is 8d 0h old)');
		expect(report.causes[0]!.fix).toBe(`tokscope login --client-secret CLIENT_SECRET_FILE --save ${path} --force`);
	});

	it('the same refusal of gcloud’s refresh token: revoked first, never Testing (gcloud’s app is published)', async () => {
		const gcloudFile = JSON.parse(await readFile(fixture.files.authorizedUser, 'utf8')) as Record<string, unknown>;
		const path = join(fixture.dir, 'gcloud-revoked.json');
		await writeFile(path, JSON.stringify({...gcloudFile, refresh_token: '1//revoked-refresh-token'}));
		const {report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: path});
		expect(report.causes.map(cause => cause.code)).toEqual(['refresh-token-revoked', 'refresh-token-limit', 'refresh-token-unused']);
		expect(report.causes[0]!.fix).toBe('gcloud auth application-default login');
	});

	it('rapt_required (error_subtype, as google-auth’s reauth.py names it) is reauthentication too, fixed by the tool at hand', async () => {
		fixture.emulator.setFault('/token', {
			status: 400,
			body: {error: 'invalid_grant', error_description: 'reauth related error (rapt_required)', error_subtype: 'rapt_required'},
		});
		const path = await ownClientFile(1);
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: path});
		expect(code).toBe(1);
		expect(report.causes[0]).toMatchObject({
			code: 'reauth-required',
			fix: `tokscope login --client-secret CLIENT_SECRET_FILE --save ${path} --force`,
		});
	});
});

// Domain-wide delegation: a service account acting as a Workspace user, by its key (the assertion's sub) or through
// impersonation (IAM signJwt, then the exchange), refused as Google refuses it until an admin authorises the client ID.
describe.skipIf(!existsSync(resolve('dist/cli.js')))('--subject: domain-wide delegation', () => {
	const gmail = 'https://www.googleapis.com/auth/gmail.readonly';
	const user = 'alice@example.com';
	const target = 'tokscope-target@tokscope-demo.iam.gserviceaccount.com';
	afterEach(() => {
		fixture.emulator.authoriseDelegation(fixture.emulator.clientIdOf(fixture.emulator.serviceAccountEmail), null);
		fixture.emulator.authoriseDelegation(fixture.emulator.clientIdOf(target), null);
	});

	it('print-access-token with a key: refused in one sentence until the client ID is authorised, then minted', async () => {
		const args = ['print-access-token', '--key-file', fixture.files.serviceAccountKey, '--subject', user, '--scopes', gmail];
		const refused = await runCli(args, {env});
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(
			/^tokscope: Domain-wide delegation is not authorised for tokscope-demo@tokscope-demo\.iam\.gserviceaccount\.com's client ID/,
		);
		fixture.emulator.authoriseDelegation(fixture.emulator.clientIdOf(fixture.emulator.serviceAccountEmail), [gmail]);
		const minted = await runCli(args, {env});
		expect(minted).toMatchObject({code: 0, stderr: ''});
		expect(minted.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
	});

	it('print-access-token through impersonation: IAM signs the assertion (signJwt), the token endpoint exchanges it', async () => {
		fixture.emulator.authoriseDelegation(fixture.emulator.clientIdOf(target), [gmail]);
		const args = ['print-access-token', '--impersonate-service-account', target, '--subject', user, '--scopes', gmail];
		const minted = await runCli(args, {env});
		expect(minted).toMatchObject({code: 0, stderr: ''});
		expect(fixture.emulator.requests.some(request => request.path.endsWith(':signJwt'))).toBe(true);
	});

	it('doctor --subject with a key: the assertion’s sub shown, the client ID and the scopes to authorise named', async () => {
		const {code, report} = await doctor(['--key-file', fixture.files.serviceAccountKey, '--subject', user, '--scopes', gmail]);
		expect(code).toBe(1);
		expect(kinds(report)).toEqual(['credential', 'token-endpoint ✗']);
		expect(report.steps[1]!.input.sub).toBe(user);
		const clientId = fixture.emulator.clientIdOf(fixture.emulator.serviceAccountEmail);
		expect(report.causes[0]).toMatchObject({code: 'dwd-not-authorised', fix: null});
		expect(report.causes[0]!.sentence).toBe(
			`Domain-wide delegation to ${user} is not authorised: a Workspace super admin adds client ID ${clientId} with the scopes ` +
				`${gmail} at Security › API controls › Domain-wide delegation (https://admin.google.com/ac/owl/domainwidedelegation); it ` +
				'can take hours to apply.',
		);
	});

	it('doctor --subject through impersonation: signJwt, then the refused exchange; the unique ID is found with gcloud', async () => {
		const {code, report} = await doctor(['--impersonate-service-account', target, '--subject', user]);
		expect(code).toBe(1);
		expect(kinds(report)).toEqual(['credential', 'token-endpoint', 'impersonation', 'token-endpoint ✗']);
		expect(report.steps[2]!.input.sub).toBe(user);
		expect(report.causes[0]!.fix).toBe(`gcloud iam service-accounts describe ${target} '--format=value(uniqueId)'`);
	});

	it('a source with no service account to delegate with says so in one sentence', async () => {
		const result = await runCli(['print-access-token', '--source', 'metadata', '--subject', user], {env});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(
			/^tokscope: Domain-wide delegation \(--subject\) is a service account acting as a Workspace user: the metadata source/,
		);
	});
});
