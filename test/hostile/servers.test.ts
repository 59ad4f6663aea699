import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {TokscopeError} from '../../src/core/errors.js';
import {tokenInfoEndpoint} from '../../src/core/google.js';
import {lookUpTokenInfo} from '../../src/verify/tokeninfo.js';
import {createSource} from '../../src/sources/index.js';
import {verifyToken} from '../../src/verify/verify.js';
import {startFixture, type Fixture} from '../support/fixture.js';
import {failure, hostileServer, metadataProbe, type HostileServer, type Hostility} from './servers.js';

// Every client in the program against servers that trickle, never end, flood, answer garbage or escapes, or redirect:
// each must come back within its deadline with one sentence, having closed its connection and read at most its limit.

let fixture: Fixture;
const servers: HostileServer[] = [];
beforeAll(async () => {
	fixture = await startFixture();
});
afterAll(() => fixture.close());
afterEach(async () => {
	vi.unstubAllEnvs();
	for (const server of servers.splice(0)) await server.close();
});

async function serve(hostility: Hostility, normal?: Parameters<typeof hostileServer>[1]): Promise<HostileServer> {
	const server = await hostileServer(hostility, normal);
	servers.push(server);
	return server;
}

/** The emulator's service-account key, its token_uri pointed at `url`. */
async function keyFileWithTokenUri(url: string): Promise<string> {
	const key = JSON.parse(await readFile(fixture.files.serviceAccountKey, 'utf8')) as Record<string, unknown>;
	const path = join(fixture.dir, `key-${Math.random().toString(36).slice(2)}.json`);
	await writeFile(path, JSON.stringify({...key, token_uri: `${url}/token`}));
	return path;
}

const deadline = 1500;
const floods: Hostility[] = [{kind: 'trickle'}, {kind: 'endless'}, {kind: 'huge'}];

/** The client gave up within its deadline (plus slack for a loaded machine), in a sentence, and hung up. */
async function expectCutOff(server: HostileServer, work: Promise<unknown>, pattern: RegExp, within = deadline): Promise<void> {
	const {error, ms} = await failure(work);
	expect(error).toBeInstanceOf(TokscopeError);
	expect(error.message).toMatch(pattern);
	expect(error.message.split('\n')).toHaveLength(1);
	expect(ms).toBeLessThan(within + 2500);
	await server.allClosed();
	// Read at most its limit (1 MiB for a token answer) plus what the sockets' buffers held, never the 256 MiB on offer.
	expect(server.sent()).toBeLessThan(64 * 1024 * 1024);
}

const cutOff = /did not (answer|finish)|within|more than|sent more|not JSON|not an? /;

describe.each(floods)('a $kind server', hostility => {
	it('the metadata server: /token and /identity fail within the deadline', async () => {
		const server = await serve(hostility, metadataProbe);
		const source = createSource({source: 'metadata', env: {GCE_METADATA_HOST: server.host}, timeoutMs: deadline});
		await expectCutOff(server, source.accessToken(), cutOff);
		await expectCutOff(server, source.idToken({audience: 'https://a.example'}), cutOff);
	});

	it('the OAuth token endpoint named by a key’s token_uri', async () => {
		const server = await serve(hostility);
		const source = createSource({source: 'key-file', keyFile: await keyFileWithTokenUri(server.url), timeoutMs: deadline});
		await expectCutOff(server, source.accessToken(), /^The OAuth token endpoint (did not answer within 1.5 s|sent more than 1 MiB)/);
		await expectCutOff(
			server,
			source.idToken({audience: 'https://a.example'}),
			/^The OAuth token endpoint (did not answer within 1.5 s|sent more than 1 MiB)/,
		);
	});

	it('IAM Credentials, with the caller’s token from the emulator', async () => {
		const server = await serve(hostility);
		const env = fixture.env({
			GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey,
			CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS: `${server.url}/`,
		});
		const source = createSource({
			source: 'impersonate',
			impersonate: ['target@tokscope-demo.iam.gserviceaccount.com'],
			env,
			timeoutMs: deadline,
		});
		await expectCutOff(server, source.accessToken(), /^IAM Credentials (did not answer within 1.5 s|sent more than 1 MiB)/);
	});

	it('tokeninfo', async () => {
		const server = await serve(hostility);
		vi.stubEnv('CLOUDSDK_API_ENDPOINT_OVERRIDES_OAUTH2', `${server.url}/`);
		await expectCutOff(
			server,
			lookUpTokenInfo(tokenInfoEndpoint(process.env), 'ya29.abcdefghijklmnop', 'access_token'),
			/^tokeninfo at .* (did not|sent more than 64 KiB)/,
			10_000,
		);
	});

	it('a JWKS and a discovery document: unverified with the reason, never a hang', {tags: ['timing']}, async () => {
		const server = await serve(hostility);
		const started = Date.now();
		const byJwks = await verifyToken(jwt({iss: 'https://issuer.example'}), {jwksUri: `${server.url}/jwks`, timeoutMs: deadline});
		expect(byJwks.status).toBe('unverified');
		const byDiscovery = await verifyToken(jwt({iss: server.url}), {timeoutMs: deadline});
		expect(byDiscovery.status).toBe('unverified');
		expect(byDiscovery.reason).toMatch(/discovery document could not be fetched \(.*(did not|more than)/);
		expect(Date.now() - started).toBeLessThan(2 * deadline + 3000);
		await server.allClosed();
		expect(server.sent()).toBeLessThan(64 * 1024 * 1024);
	});
});

/** An RS256-headed JWT with a made-up signature: enough to make verification fetch keys. */
function jwt(claims: Record<string, unknown>): string {
	const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const payload = {sub: 'x', aud: 'y', exp: Math.floor(Date.now() / 1000) + 600, ...claims};
	return `${part({alg: 'RS256', kid: 'k1', typ: 'JWT'})}.${part(payload)}.c2lnbmF0dXJl`;
}

describe('garbage where a token should be: one sentence naming the server, never a token', () => {
	const garbage = {
		html: '<!DOCTYPE html><html><body>Sign in</body></html>',
		empty: '',
		'65,537 a': 'a'.repeat(65_537),
		escapes: 'ya29.abc\u001b]52;c;ZXZpbA==\u0007\u001b[2J',
		'shell injection': 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig$(id>/tmp/PWNED)',
	};

	it.each(Object.entries(garbage))('the metadata server’s /identity answering %s', async (_, body) => {
		const server = await serve({kind: 'garbage', body}, metadataProbe);
		const source = createSource({source: 'metadata', env: {GCE_METADATA_HOST: server.host}, timeoutMs: deadline});
		const {error} = await failure(source.idToken({audience: 'https://a.example'}));
		expect(error.message).toMatch(
			new RegExp(
				'^The metadata server (answered with something that is not an ID token \\(a JWT\\): .*\\. It was not used' +
					'|sent more than 64 KiB; reading stopped there)\\.$',
			),
		);
		expect(error.message).not.toContain('\u001b');
	});

	it.each(Object.entries(garbage))('the metadata server’s /token carrying %s as its access_token', async (_, token) => {
		const server = await serve(
			{kind: 'garbage', body: JSON.stringify({access_token: token || 'x y', expires_in: 3599}), type: 'application/json'},
			metadataProbe,
		);
		const source = createSource({source: 'metadata', env: {GCE_METADATA_HOST: server.host}, timeoutMs: deadline});
		const {error} = await failure(source.accessToken());
		expect(error.message).toMatch(/^The metadata server (answered with something that is not an access token: |sent more than 64 KiB)/);
	});

	it.each(Object.entries(garbage))('the OAuth token endpoint answering %s as its access_token and id_token', async (_, token) => {
		const body = JSON.stringify({access_token: token || 'x y', id_token: token || 'x y', expires_in: 3599, token_type: 'Bearer'});
		const server = await serve({kind: 'garbage', body, type: 'application/json'});
		const source = createSource({source: 'key-file', keyFile: await keyFileWithTokenUri(server.url), timeoutMs: deadline});
		expect((await failure(source.accessToken())).error.message).toMatch(
			/^The OAuth token endpoint answered with something that is not an access token: /,
		);
		expect((await failure(source.idToken({audience: 'https://a.example'}))).error.message).toMatch(
			/^The OAuth token endpoint answered with something that is not an ID token/,
		);
	});

	it.each([1e30, -5, 'soon', 1e10])(
		'a lifetime (expires_in) of %s is one sentence, not "expires in NaNs" and a refresh storm',
		async expiresIn => {
			const body = JSON.stringify({access_token: 'ya29.a0AfH6SMabcdefghijk', expires_in: expiresIn});
			const metadata = await serve({kind: 'garbage', body, type: 'application/json'}, metadataProbe);
			const source = createSource({source: 'metadata', env: {GCE_METADATA_HOST: metadata.host}, timeoutMs: deadline});
			expect((await failure(source.accessToken())).error.message).toMatch(
				/^The metadata server said the token lives .* seconds, which no token does/,
			);
			const endpoint = await serve({kind: 'garbage', body, type: 'application/json'});
			const keyed = createSource({source: 'key-file', keyFile: await keyFileWithTokenUri(endpoint.url), timeoutMs: deadline});
			if (typeof expiresIn === 'number' && expiresIn > 0) {
				expect((await failure(keyed.accessToken())).error.message).toMatch(
					/^The OAuth token endpoint said the token lives .* seconds, which no token does/,
				);
			}
		},
	);

	it('a redirect is not followed to a token', async () => {
		const server = await serve({kind: 'redirect', to: `${fixture.emulator.url}/token`});
		const source = createSource({source: 'key-file', keyFile: await keyFileWithTokenUri(server.url), timeoutMs: deadline});
		const metadata = await serve(
			{kind: 'redirect', to: `${fixture.emulator.url}/computeMetadata/v1/instance/service-accounts/default/token`},
			metadataProbe,
		);
		const fromMetadata = createSource({source: 'metadata', env: {GCE_METADATA_HOST: metadata.host}, timeoutMs: deadline});
		expect((await failure(fromMetadata.accessToken())).error).toBeInstanceOf(TokscopeError);
		expect(metadata.requests.filter(request => request.includes('/token'))).toHaveLength(1);
		// Nor by the library: a token the redirected-to host would answer (here the emulator's real one) is never asked for.
		const before = fixture.emulator.requests.length;
		expect((await failure(source.accessToken())).error.message).toMatch(/answered with a redirect \(HTTP 302\)/);
		expect(fixture.emulator.requests.length).toBe(before);
	});
});
