import {generateKeyPairSync} from 'node:crypto';
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {SignJWT} from 'jose';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {readAnswer} from '../../src/core/answer.js';
import type {DoctorReport} from '../../src/doctor/report.js';
import {realServiceOrigins, type CredentialFiles} from '../../src/emulator/index.js';
import {
	bodyAsSent,
	expectedMisses,
	fixtureUrl,
	loadCorpus,
	serviceProducts,
	type CorpusEntry,
	type RealAnswer,
} from '../support/real-world-corpus.js';
import {describeInBox} from '../support/sealed-box.js';

// Every answer of the corpus (test/fixtures/real-world/), replayed over HTTPS at the product's own name inside the sealed
// box, to the built CLI. A service's refusal goes to `doctor --json`: the thread's cause must come first, with a fix naming
// what the answer named. A Google API keeps its real host name; a service's host (redacted in threads) becomes the box's
// sample of the same product. The token is what the thread sent: minted by the box's metadata server, or made here when
// it was a service account's own JWT or an ID token of another issuer. A refusal met while minting (the token endpoint,
// IAM Credentials, STS, the metadata server) is played at that endpoint: print-access-token and doctor must say the
// cause it names, doctor with the thread's cause code first.

const services = loadCorpus().filter(entry => serviceProducts.has(entry.answer.product));

const sampleHost = (origin: string) => new URL(origin).hostname;
/** The box's sample of each form of host the corpus shows, beside the emulator's own (realServiceOrigins). */
const samples = {
	run: sampleHost(realServiceOrigins['cloud-run']),
	functions: sampleHost(realServiceOrigins['cloud-functions']),
	/** The host form without a region that Cloud Functions' old docs showed (cloud-functions/url-without-region). */
	functionsWithoutRegion: 'tokscope-demo.cloudfunctions.net',
	gateway: sampleHost(realServiceOrigins['api-gateway']),
	/** Cloud Endpoints' own name (api-gateway/esp-grpc-jwt-audience-not-allowed). */
	endpoints: 'tokscope-api.endpoints.tokscope-demo.cloud.goog',
	iap: sampleHost(realServiceOrigins.iap),
};

/** The host the box answers a fixture's request at: a Google API's own, or the box's sample of its product. */
function boxHost(host: string, product: RealAnswer['product']): string {
	if (host.endsWith('.googleapis.com')) return host;
	if (host.endsWith('.run.app')) return samples.run;
	// A region-less host names its project alone (PROJECT_ID.cloudfunctions.net); REGION-PROJECT has a dash.
	if (host.endsWith('.cloudfunctions.net')) return host.split('.')[0]!.includes('-') ? samples.functions : samples.functionsWithoutRegion;
	if (host.endsWith('.gateway.dev')) return samples.gateway;
	if (host.endsWith('.cloud.goog')) return samples.endpoints;
	if (product === 'iap') return samples.iap;
	throw new Error(`no host in the box for ${host}`);
}

function boxUrl({request, product}: RealAnswer): URL {
	const url = fixtureUrl(request.url);
	url.hostname = boxHost(url.hostname, product);
	return url;
}

/** An audience that names a product's URL names the box's sample of it; any other (a client ID) is kept. */
function boxAudience(audience: string, product: RealAnswer['product']): string {
	const url = URL.parse(audience);
	if (!url || url.protocol !== 'https:' || !/\.(run\.app|cloudfunctions\.net|gateway\.dev|cloud\.goog)$/.test(url.hostname))
		return audience;
	url.hostname = boxHost(url.hostname, product);
	return url.pathname === '/' ? url.origin : url.href;
}

const hostNames = [...new Set(services.map(({answer}) => boxUrl(answer).hostname))];

/** Where each minting endpoint is answered in the box: its real name (the metadata server has its own address). */
const mintingEndpoints = {
	'token-endpoint': {host: 'oauth2.googleapis.com', match: '/token'},
	'iam-credentials': {host: 'iamcredentials.googleapis.com', match: ':generateAccessToken'},
	sts: {host: 'sts.googleapis.com', match: '/v1/token'},
	metadata: {host: undefined, match: '/computeMetadata/v1/instance/service-accounts/default/token'},
};
/** A Google API, for doctor to mint an access token for: the minting is what is refused. */
const googleApi = `${realServiceOrigins['google-api']}/v1/projects/tokscope-demo`;
const target = 'tokscope-target@tokscope-demo.iam.gserviceaccount.com';
const delegate = 'tokscope-delegate@tokscope-demo.iam.gserviceaccount.com';

/** A request tokscope never sends, so no answer to it can reach tokscope: said here, and listed as skipped. */
const notSent: Record<string, string> = {
	'token-endpoint/iap-audience-client-other-project':
		'a user credential mints ID tokens only for its own OAuth client, so tokscope refuses before asking for another client',
	'iam-credentials/impersonation-without-scopes': 'tokscope always asks IAM for a scope (cloud-platform unless --scopes names others)',
};
/** The thread asked for a URL as a scope, which only print-access-token --scopes can send. */
const printedOnly: Record<string, string> = {'iam-credentials/scope-is-a-cloud-run-url': 'https://tokscope-abc123-ew.a.run.app'};

const minting = loadCorpus().filter(entry => !serviceProducts.has(entry.answer.product) && !(entry.name in notSent));

/** A key of nobody Google knows: it signs the self-signed JWTs and the other issuers' ID tokens the threads sent. */
const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
const caller = 'esp-caller@tokscope-demo.iam.gserviceaccount.com';

function signed(claims: Record<string, unknown>): Promise<string> {
	const now = Math.floor(Date.now() / 1000);
	return new SignJWT({...claims, iat: now, exp: now + 3600}).setProtectedHeader({alg: 'RS256', kid: 'not-google'}).sign(privateKey);
}

describeInBox(
	'real answers replayed at the products’ own names, to the built CLI',
	box => {
		let accessToken: string;
		let files: CredentialFiles;
		/** An authorized-user file made by tokscope's own sign-in (`tokscope login --save`): its client is not gcloud's. */
		let signedInWithTokscope: string;
		beforeAll(async () => {
			const minted = await box.cli(['print-access-token']);
			expect(minted).toMatchObject({code: 0, stderr: ''});
			accessToken = minted.stdout.trim();
			files = await box.emulator.writeCredentialFiles(join(box.dir, 'creds'));
			const user = JSON.parse(await readFile(files.authorizedUser, 'utf8')) as Record<string, unknown>;
			const {id, secret} = box.emulator.oauthClient;
			signedInWithTokscope = join(box.dir, 'creds', 'signed-in-with-tokscope.json');
			await writeFile(signedInWithTokscope, JSON.stringify({...user, client_id: id, client_secret: secret}), {mode: 0o600});
		});
		afterEach(() => box.emulator.clearFaults());

		/** The doctor flags that send what the thread sent. */
		async function tokenFlags({request, product}: RealAnswer): Promise<string[]> {
			const {token} = request;
			// A VM's token comes from its metadata server, which is what tells doctor that no client can widen its scopes.
			const vm = /VM|metadata server/.test(token.principal ?? '') ? ['--source', 'metadata'] : [];
			switch (token.kind) {
				case 'access-token':
				case 'api-key':
					return vm.length > 0 ? vm : ['--token', accessToken];
				case 'self-signed-jwt':
					return ['--token', await signed({iss: caller, sub: caller, aud: token.audience})];
				case 'id-token':
					if (token.issuer && !token.issuer.includes('accounts.google.com')) {
						return ['--token', await signed({iss: token.issuer, sub: 'a-firebase-user', aud: token.issuer.split('/').pop()})];
					}
					return [...vm, ...(token.audience ? ['--audience', boxAudience(token.audience, product)] : [])];
				default:
					return vm;
			}
		}

		describe('a service’s refusal: doctor --json ranks the thread’s cause first', () => {
			it.each(services)('$name', async ({name, answer}) => {
				const url = boxUrl(answer);
				const {status, headers = {}, body} = answer.response;
				box.emulator.setFault(url.pathname, {status, body, headers, host: url.hostname});
				const method = answer.request.method ?? 'GET';
				const result = await box.cli(['doctor', url.href, '--method', method, '--json', ...(await tokenFlags(answer))]);
				const report = JSON.parse(result.stdout) as DoctorReport;
				// Any status but 401, 403 and 407 let the token through: exit 0, with the cause the answer names all the same.
				expect(result.code, result.stderr).toBe([401, 403, 407].includes(status) ? 1 : 0);
				expect(report.status).toBe(status);
				const codes = report.causes.map(cause => cause.code);
				if (expectedMisses[name]) {
					expect(codes, expectedMisses[name]).toContain(answer.causeCode);
					return;
				}
				expect(codes[0], `ranked: ${codes.join(', ')}`).toBe(answer.causeCode);
				const said = `${report.causes[0]!.sentence} ${report.causes[0]!.fix ?? ''}`;
				const {named} = readAnswer({status, headers, body});
				for (const value of [named.permission, named.service, named.expectedAudience, named.member, named.issuer]) {
					if (value !== undefined) expect(said).toContain(value);
				}
			});
		});

		describe('a refusal met while minting: doctor --json names the thread’s cause, print-* say the same sentence', () => {
			/** The source that sends the thread's request to the endpoint that refused it, as tokscope asks it. */
			function sourceFor({name, answer}: CorpusEntry): {flags: string[]; env: NodeJS.ProcessEnv} {
				const principal = answer.request.token.principal ?? '';
				const adc = (file: string) => ({flags: [], env: {GOOGLE_APPLICATION_CREDENTIALS: file}});
				switch (answer.product) {
					case 'token-endpoint':
						if (answer.request.token.kind !== 'refresh-token') return {flags: ['--key-file', files.serviceAccountKey], env: {}};
						// gcloud's ADC file is signed in again with gcloud; one made by tokscope's own sign-in, with tokscope.
						return adc(/gcloud|application default/i.test(principal) ? files.authorizedUser : signedInWithTokscope);
					case 'iam-credentials':
						if (/federated/i.test(principal)) return adc(files.externalAccount);
						// signBlob's implicitDelegation is what a delegation chain needs of each link.
						if (name.includes('implicit-delegation')) return {flags: ['--impersonate-service-account', `${delegate},${target}`], env: {}};
						return {flags: ['--impersonate-service-account', target], env: {}};
					case 'sts':
						return adc(files.externalAccount);
					default:
						// KUBERNETES_SERVICE_HOST is what tells tokscope it runs in a GKE pod.
						return {flags: ['--source', 'metadata'], env: name.includes('/gke-') ? {KUBERNETES_SERVICE_HOST: '10.0.0.1'} : {}};
				}
			}

			it.each(minting)('$name', async entry => {
				const {name, answer} = entry;
				const {status, headers = {}} = answer.response;
				const body = bodyAsSent(answer);
				const {host, match} = mintingEndpoints[answer.product as keyof typeof mintingEndpoints];
				box.emulator.setFault(match, {status, body, headers, ...(host ? {host} : {})});
				const {flags, env} = sourceFor(entry);
				const scopes = printedOnly[name];
				const printed = await box.cli(['print-access-token', ...flags, ...(scopes ? ['--scopes', scopes] : [])], {env: box.env(env)});
				expect(printed.code, printed.stderr).toBe(1);
				expect(printed.stdout).toBe('');
				const said = printed.stderr;
				if (scopes) {
					// doctor mints with the scopes its target wants; the thread asked for a URL as one, which only print-* can.
					expect(said).toContain(`${scopes} is not an OAuth scope`);
					return;
				}
				const doctor = await box.cli(['doctor', googleApi, '--json', ...flags], {env: box.env(env)});
				expect(doctor.code, doctor.stderr).toBe(2);
				const report = JSON.parse(doctor.stdout) as DoctorReport;
				const codes = report.causes.map(cause => cause.code);
				if (expectedMisses[name]) {
					expect(codes, expectedMisses[name]).toContain(answer.causeCode);
					return;
				}
				expect(codes[0], `ranked: ${codes.join(', ')}; ${doctor.stderr}`).toBe(answer.causeCode);
				// The one sentence print-* and doctor both say is the cause's, and the fix is its hint.
				const [first] = report.causes;
				expect(report.error).toBe(first!.sentence);
				expect(said).toContain(`tokscope: ${first!.sentence}`);
				if (first!.fix) expect(said).toContain(`Fix: ${first!.fix}`);
				const {named} = readAnswer({status, headers, body});
				for (const value of [named.permission, named.issuer, named.serviceAccount]) {
					if (value !== undefined) expect(`${first!.sentence} ${first!.fix ?? ''}`).toContain(value);
				}
			});

			it.skip.each(Object.entries(notSent))('%s: %s', () => {});

			it('invalid_rapt: Workspace’s session length, signed in again with the tool that made the credential', async () => {
				const rapt = minting.find(({name}) => name === 'token-endpoint/invalid-rapt-workspace-session')!.answer;
				box.emulator.setFault('/token', {status: 400, body: rapt.response.body, host: 'oauth2.googleapis.com'});
				for (const [file, again] of [
					[signedInWithTokscope, 'tokscope login --client-secret CLIENT_FILE'],
					[files.authorizedUser, 'gcloud auth application-default login'],
				] as const) {
					const {stderr} = await box.cli(['print-access-token'], {env: box.env({GOOGLE_APPLICATION_CREDENTIALS: file})});
					expect(stderr).toMatch(/invalid_rapt.*Workspace administrator limits how long a Google Cloud session lasts/);
					expect(stderr).toContain(`Fix: ${again}`);
				}
			});
		});
	},
	{hostNames},
);
