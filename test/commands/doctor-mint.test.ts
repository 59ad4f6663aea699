import {existsSync} from 'node:fs';
import {readFile, writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {MintReport} from '../../src/doctor/mint-report.js';
import {emulatorEnvironment} from '../../src/emulator/environment.js';
import {runCli, type CliResult} from '../support/cli.js';
import {useFixture} from '../support/fixture.js';
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
		expect(kinds(report)).toEqual(['credential', 'subject-token', 'sts', 'impersonation', 'minted']);
		const subject = report.steps[1]!;
		expect(subject.input.from).toBe(`the file ${fixture.files.externalSubjectToken} (credential_source.file)`);
		const raw = (await readFile(fixture.files.externalSubjectToken, 'utf8')).trim();
		expect(JSON.stringify(report)).not.toContain(raw);
		expect(report.steps[2]!.input.audience).toMatch(/^\/\/iam\.googleapis\.com\/projects\/123456789012\/.*\/providers\/tokscope-provider$/);
		expect(report.steps[3]!.input['service account']).toBe('tokscope-target@tokscope-demo.iam.gserviceaccount.com');
	});

	it('STS refuses (the attribute condition): the chain stops there, exit 1, the cause first', async () => {
		playReal('/v1/token', 'sts/attribute-condition-rejects');
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: fixture.files.externalAccount});
		expect(code).toBe(1);
		expect(kinds(report)).toEqual(['credential', 'subject-token', 'sts ✗']);
		expect(report).toMatchObject({status: 400, accepted: false, url: `${fixture.emulator.url}/v1/token`, token: null});
		expect(report.steps[2]!.answer).toMatchObject({
			error: 'unauthorized_client',
			message: 'The given credential is rejected by the attribute condition.',
		});
		expect(report.causes[0]!.code).toBe('wif-attribute-condition');
	});

	it('IAM refuses the federated principal: wif-principal-binding, with the binding to add', async () => {
		playReal(':generateAccessToken', 'iam-credentials/get-access-token-denied');
		const {code, report} = await doctor([], {GOOGLE_APPLICATION_CREDENTIALS: fixture.files.externalAccount});
		expect(code).toBe(1);
		expect(kinds(report)).toEqual(['credential', 'subject-token', 'sts', 'impersonation ✗']);
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
		expect(kinds(report)).toEqual(['credential', 'subject-token', 'sts ✗']);
		expect(report.steps[2]!.answer.error).toBeTruthy();
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
