import {generateKeyPairSync} from 'node:crypto';
import {SignJWT} from 'jose';
import {afterEach, beforeAll, expect, it} from 'vitest';
import {readAnswer} from '../../src/core/answer.js';
import type {DoctorReport} from '../../src/doctor/report.js';
import {realServiceOrigins} from '../../src/emulator/index.js';
import {expectedMisses, fixtureUrl, loadCorpus, serviceProducts, type RealAnswer} from '../support/real-world-corpus.js';
import {describeInBox} from '../support/sealed-box.js';

// Every service refusal of the corpus (test/fixtures/real-world/), replayed over HTTPS at the product's own name inside
// the sealed box, to the built CLI's `doctor --json`: the thread's cause must come first, with a fix naming what the
// answer named. A Google API keeps its real host name; a service's host (redacted in threads) becomes the box's sample
// of the same product. The token is what the thread sent: minted by the box's metadata server, or made here when it
// was a service account's own JWT or an ID token of another issuer.

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

/** A key of nobody Google knows: it signs the self-signed JWTs and the other issuers' ID tokens the threads sent. */
const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
const caller = 'esp-caller@tokscope-demo.iam.gserviceaccount.com';

function signed(claims: Record<string, unknown>): Promise<string> {
	const now = Math.floor(Date.now() / 1000);
	return new SignJWT({...claims, iat: now, exp: now + 3600}).setProtectedHeader({alg: 'RS256', kid: 'not-google'}).sign(privateKey);
}

describeInBox(
	'real answers replayed at the products’ own names, to the built doctor',
	box => {
		let accessToken: string;
		beforeAll(async () => {
			const minted = await box.cli(['print-access-token']);
			expect(minted).toMatchObject({code: 0, stderr: ''});
			accessToken = minted.stdout.trim();
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
	},
	{hostNames},
);
