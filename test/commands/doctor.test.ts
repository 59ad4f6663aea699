import {generateKeyPairSync} from 'node:crypto';
import {existsSync} from 'node:fs';
import {readFile, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {join, resolve} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {emulatorEnvironment} from '../../src/emulator/environment.js';
import type {DoctorReport} from '../../src/doctor/report.js';
import {foreignIdToken, metadataAccessToken, metadataIdToken} from '../emulator/services/tokens.js';
import {runCli, type CliResult} from '../support/cli.js';
import {startFixture, type Fixture} from '../support/fixture.js';

// tokscope doctor as a user runs it (dist/cli.js), against the emulator's stand-ins for Cloud Run, Cloud Functions,
// IAP, API Gateway, a Google API and a public service: each test makes one mistake and expects its cause first.

let fixture: Fixture;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
	fixture = await startFixture();
	env = fixture.env(emulatorEnvironment(fixture.emulator, fixture.files));
});
afterAll(() => fixture.close());
afterEach(() => fixture.emulator.heal());

async function doctor(args: string[], input?: string): Promise<CliResult & {report: DoctorReport}> {
	const result = await runCli(['doctor', ...args, '--json'], {env, input});
	return {...result, report: JSON.parse(result.stdout) as DoctorReport};
}

const codes = (report: DoctorReport) => report.causes.map(cause => cause.code);

/** A loopback server for the cases no Google product plays: a silent one, a flood, a redirect, a plain 401. */
async function localServer(handler: Parameters<typeof createServer>[1]): Promise<{url: string; close: () => Promise<void>}> {
	const sockets = new Set<Socket>();
	const server: Server = createServer(handler);
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () =>
			new Promise(done => {
				for (const socket of sockets) socket.destroy();
				server.close(() => done());
			}),
	};
}

describe.skipIf(!existsSync(resolve('dist/cli.js')))('tokscope doctor, built, against the emulator', () => {
	it('calls Cloud Run with an ID token for its origin and exits 0 when it is accepted, with the contract’s JSON', async () => {
		const {cloudRun} = fixture.emulator.services;
		const result = await doctor([cloudRun.url, '--source', 'metadata']);
		expect(result.code).toBe(0);
		expect(Object.keys(result.report).slice(0, 7)).toEqual(['url', 'method', 'status', 'accepted', 'target', 'token', 'causes']);
		expect(result.report).toMatchObject({
			method: 'GET',
			status: 200,
			accepted: true,
			target: {kind: 'cloud-run'},
			token: {
				kind: 'id-token',
				audience: cloudRun.origin,
				issuer: fixture.emulator.url,
				principal: fixture.emulator.serviceAccountEmail,
			},
			causes: [],
			clockSkewSeconds: expect.any(Number),
		});
		expect(Math.abs(result.report.clockSkewSeconds!)).toBeLessThanOrEqual(2);
		expect(Date.parse(result.report.token!.expiresAt!)).toBeGreaterThan(Date.now());
	});

	it('prints the verdict, the evidence, what was sent and the causes, and never the token', async () => {
		const token = await metadataAccessToken(fixture.emulator);
		const result = await runCli(['doctor', fixture.emulator.services.cloudRun.url, '--token', token], {env});
		expect(result.code).toBe(1);
		const order = ['✗ rejected: HTTP 401', 'Evidence', 'WWW-Authenticate', 'Sent', 'Likely causes', '1. wrong-token-kind'].map(text =>
			result.stdout.indexOf(text),
		);
		expect(order.every(index => index >= 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		expect(result.stdout).toContain('Your client does not have permission to the requested URL /.');
		expect(result.stdout).toContain('chars, masked)');
		expect(`${result.stdout}${result.stderr}`).not.toContain(token);
		expect(`${result.stdout}${result.stderr}`).not.toContain(token.slice(10, 40));
	});

	describe('finds each cause from the mistake that makes it', () => {
		it('wrong-token-kind: an access token sent to Cloud Run', async () => {
			const result = await doctor([fixture.emulator.services.cloudRun.url, '--token', await metadataAccessToken(fixture.emulator)]);
			expect(result.code).toBe(1);
			expect(result.report.status).toBe(401);
			expect(result.report.token?.kind).toBe('google-access-token');
			expect(result.report.causes[0]).toMatchObject({code: 'wrong-token-kind', fix: expect.stringContaining('print-identity-token')});
			expect(result.report.causes[0]!.sentence).toMatch(/Cloud Run wants an OpenID Connect ID token, but an OAuth access token/);
		});

		it('wrong-token-kind: an ID token sent to a Google API, and an access token then accepted', async () => {
			const {googleApi} = fixture.emulator.services;
			const result = await doctor([googleApi.url, '--source', 'metadata']);
			expect(result.code).toBe(1);
			expect(result.report.target.kind).toBe('google-api');
			expect(result.report.causes[0]).toMatchObject({code: 'wrong-token-kind', fix: 'gcloud auth print-access-token'});
			expect(result.report.evidence?.body).toContain('Expected OAuth 2 access token');
			const fixed = await doctor([googleApi.url, '--token', await metadataAccessToken(fixture.emulator)]);
			expect(fixed).toMatchObject({code: 0, report: {accepted: true, status: 200, target: {kind: 'google-api'}}});
		});

		it('audience-mismatch: IAP names the audience it expects, and the fix mints for it', async () => {
			const {iap} = fixture.emulator.services;
			const result = await doctor([iap.url, '--source', 'metadata']);
			expect(result.code).toBe(1);
			expect(result.report).toMatchObject({target: {kind: 'iap'}, expectedAudience: iap.audience});
			expect(result.report.causes[0]).toMatchObject({
				code: 'audience-mismatch',
				fix: expect.stringContaining(`--audiences=${iap.audience}`),
			});
			const fixed = await doctor([iap.url, '--source', 'metadata', '--audience', iap.audience!]);
			expect(fixed).toMatchObject({code: 0, report: {accepted: true}});
		});

		it('audience-mismatch: a path on the Cloud Run audience, and gcloud’s own client ID as aud', async () => {
			const {cloudRun} = fixture.emulator.services;
			const path = await doctor([cloudRun.url, '--source', 'metadata', '--audience', `${cloudRun.origin}/api`]);
			expect(path.report.causes[0]).toMatchObject({code: 'audience-mismatch'});
			expect(path.report.causes[0]!.sentence).toContain('it has a path (/api)');
			const clientId = '32555940559-abcdefg.apps.googleusercontent.com';
			const gcloudStyle = await doctor([cloudRun.url, '--source', 'metadata', '--audience', clientId]);
			expect(gcloudStyle.report.causes[0]!.code).toBe('audience-mismatch');
			expect(gcloudStyle.report.causes[0]!.sentence).toMatch(
				/OAuth client ID: what gcloud auth print-identity-token makes without --audiences/,
			);
		});

		it('audience-mismatch: API Gateway’s "Audiences in Jwt are not allowed"', async () => {
			const result = await doctor([
				fixture.emulator.services.apiGateway.url,
				'--source',
				'metadata',
				'--audience',
				'https://elsewhere.example',
			]);
			expect(result.report).toMatchObject({target: {kind: 'api-gateway'}, evidence: {body: 'Audiences in Jwt are not allowed'}});
			expect(codes(result.report)[0]).toBe('audience-mismatch');
		});

		it('missing-invoker-role: a 403 with a good token names roles/run.invoker, the principal and the wait', async () => {
			const {cloudRun} = fixture.emulator.services;
			const sa = fixture.emulator.serviceAccountEmail;
			cloudRun.deny(sa);
			try {
				const result = await doctor([cloudRun.url, '--source', 'metadata']);
				expect(result.code).toBe(1);
				expect(result.report.status).toBe(403);
				expect(result.report.causes[0]).toMatchObject({
					code: 'missing-invoker-role',
					fix: `gcloud run services add-iam-policy-binding SERVICE --member=serviceAccount:${sa} --role=roles/run.invoker`,
				});
				expect(result.report.causes[0]!.sentence).toMatch(
					new RegExp(`${sa.replace(/\./g, '\\.')} may not invoke .* roles/run\\.invoker.*a minute or two`),
				);
			} finally {
				cloudRun.allow(sa);
			}
		});

		it('missing-invoker-role: IAP’s 403 names roles/iap.httpsResourceAccessor', async () => {
			const {iap} = fixture.emulator.services;
			const sa = fixture.emulator.serviceAccountEmail;
			iap.deny(sa);
			try {
				const result = await doctor([iap.url, '--source', 'metadata', '--audience', iap.audience!]);
				expect(result.report.causes[0]).toMatchObject({
					code: 'missing-invoker-role',
					fix: expect.stringContaining('--role=roles/iap.httpsResourceAccessor'),
				});
			} finally {
				iap.allow(sa);
			}
		});

		it('token-expired: a token that is already expired when sent', async () => {
			fixture.emulator.breakIt({kind: 'expire-now'});
			const result = await doctor([fixture.emulator.services.cloudRun.url, '--source', 'metadata']);
			expect(result.code).toBe(1);
			expect(result.report.causes[0]).toMatchObject({code: 'token-expired', fix: expect.stringContaining('print-identity-token')});
		});

		it('clock-skew: a token that looks valid here but expired by the service’s clock, skew in seconds', async () => {
			const {cloudRun} = fixture.emulator.services;
			const token = await metadataIdToken(fixture.emulator, cloudRun.origin);
			fixture.emulator.breakIt({kind: 'clock-skew', seconds: 7200});
			const result = await doctor([cloudRun.url, '--token', token]);
			expect(result.code).toBe(1);
			expect(result.report.clockSkewSeconds).toBeGreaterThanOrEqual(7198);
			expect(result.report.clockSkewSeconds).toBeLessThanOrEqual(7202);
			expect(codes(result.report).slice(0, 2)).toEqual(['clock-skew', 'token-expired']);
			expect(result.report.causes[0]!.sentence).toMatch(/clock is 7[12]\d\d s behind the service's/);
		});

		it('clock-skew: the token endpoint’s "reasonable timeframe" refusal of a key’s signed request (no call made, exit 2)', async () => {
			fixture.emulator.breakIt({kind: 'clock-skew', seconds: 7200});
			const result = await doctor([fixture.emulator.services.cloudRun.url, '--key-file', fixture.files.serviceAccountKey]);
			expect(result.code).toBe(2);
			expect(result.report).toMatchObject({status: null, accepted: false, causes: [{code: 'clock-skew'}, {code: 'jwt-times-invalid'}]});
			expect(result.stderr).toMatch(/out of time .*clock is off/);
		});

		it('invalid-jwt-signature, not clock-skew, when the token endpoint refuses a key the account does not have', async () => {
			// Signed with a key the service account does not have: Google's "Invalid JWT Signature.", not a matter of time.
			const key = JSON.parse(await readFile(fixture.files.serviceAccountKey, 'utf8')) as Record<string, unknown>;
			const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
			const path = join(fixture.dir, 'deleted-key.json');
			await writeFile(path, JSON.stringify({...key, private_key: privateKey.export({type: 'pkcs8', format: 'pem'})}));
			const result = await doctor([fixture.emulator.services.cloudRun.url, '--key-file', path]);
			expect(result.code).toBe(2);
			const account = fixture.emulator.serviceAccountEmail;
			expect(result.report).toMatchObject({
				status: null,
				accepted: false,
				causes: [{code: 'invalid-jwt-signature', fix: `gcloud iam service-accounts keys list --iam-account=${account}`}],
			});
			expect(result.stderr).toMatch(new RegExp(`not a live key of ${account} \\(Invalid JWT Signature\\)`));
		});

		it('not-google-signed: a token shaped like Google’s, signed with another key', async () => {
			const {cloudRun} = fixture.emulator.services;
			const result = await doctor([cloudRun.url, '--token', await foreignIdToken(fixture.emulator, cloudRun.origin)]);
			expect(result.code).toBe(1);
			expect(result.report.causes[0]!.code).toBe('not-google-signed');
		});

		it('not-google-signed for the emulator’s issuer unless the environment names it a test issuer: inspect says the same', async () => {
			// One rule for doctor, inspect and the live view (core/google's issuerTrust): a loopback issuer is no stand-in
			// for Google by being on loopback, only by TOKSCOPE_TEST_ISSUERS (which emulatorEnvironment sets).
			const {cloudRun} = fixture.emulator.services;
			const token = await metadataIdToken(fixture.emulator, 'https://another-service.example');
			const unnamed = {...env, TOKSCOPE_TEST_ISSUERS: ''};
			const named = await doctor([cloudRun.url, '--token', token]);
			expect(named.report.status).toBe(401);
			expect(codes(named.report)).not.toContain('not-google-signed');
			const refused = await runCli(['doctor', cloudRun.url, '--token', token, '--json'], {env: unnamed});
			expect(codes(JSON.parse(refused.stdout) as DoctorReport)).toContain('not-google-signed');
			expect((await runCli(['inspect', token, '--no-verify'], {env})).stdout).not.toContain('(not Google)');
			const inspected = await runCli(['inspect', token], {env});
			expect(inspected.stdout).toContain(`issuer      ${fixture.emulator.url} (a test issuer standing in for Google)`);
			expect((await runCli(['inspect', token], {env: unnamed})).stdout).toContain(`${fixture.emulator.url} (not Google)`);
		});

		it('no-token-needed: a service that answers 200 without any token', async () => {
			const result = await doctor([fixture.emulator.services.publicService.url, '--source', 'metadata']);
			expect(result.code).toBe(0);
			expect(result.report.causes[0]).toMatchObject({code: 'no-token-needed'});
			expect(result.report.causes[0]!.sentence).toMatch(/needs none/);
		});

		it('unknown: a 401 nothing in the answer or the token explains', async () => {
			const server = await localServer((_request, response) => response.writeHead(401, {'content-type': 'text/plain'}).end('nope\n'));
			try {
				const result = await doctor([server.url, '--source', 'metadata']);
				expect(result.code).toBe(1);
				expect(result.report).toMatchObject({target: {kind: 'unknown'}, causes: [{code: 'unknown'}], evidence: {body: 'nope'}});
			} finally {
				await server.close();
			}
		});
	});

	it('--probe finds the audience a Cloud Functions function accepts: its full URL', async () => {
		const {cloudFunction} = fixture.emulator.services;
		const result = await doctor([cloudFunction.url, '--source', 'metadata', '--probe']);
		expect(result.code).toBe(1);
		expect(codes(result.report)[0]).toBe('audience-mismatch');
		const probes = result.report.probes!;
		expect(probes.length).toBeLessThanOrEqual(5);
		expect(probes.filter(probe => probe.accepted).map(probe => probe.audience)).toEqual([cloudFunction.url]);
		const human = await runCli(['doctor', cloudFunction.url, '--source', 'metadata', '--probe'], {env});
		expect(human.stdout).toContain(`→ mint for ${cloudFunction.url}`);
	});

	it('reads the token from stdin with --token -', async () => {
		const {cloudRun} = fixture.emulator.services;
		const result = await doctor([cloudRun.url, '--token', '-'], await metadataIdToken(fixture.emulator, cloudRun.origin));
		expect(result).toMatchObject({code: 0, report: {accepted: true}});
	});

	it('says so, exit 2, when the source cannot mint an ID token (a user credential)', {tags: ['timing']}, async () => {
		const result = await runCli(['doctor', fixture.emulator.services.cloudRun.url], {
			env: {...env, GOOGLE_APPLICATION_CREDENTIALS: fixture.files.authorizedUser},
		});
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(
			/^tokscope: A user credential can only mint ID tokens whose audience is its own OAuth client.*Impersonate a service account/,
		);
	});

	describe('bad inputs end in one sentence, exit 2, within 20 s', () => {
		const oneSentence = (result: CliResult) => {
			expect(result.code).toBe(2);
			expect(result.stdout).toBe('');
			expect(result.stderr).toMatch(/^tokscope: [^\n]+\.\n/);
			expect(result.stderr).not.toMatch(/\n\s+at |TypeError|unexpected error/i);
			expect(result.ms).toBeLessThan(20_000);
		};

		it('not a URL', async () => {
			const result = await runCli(['doctor', 'not a url', '--source', 'metadata'], {env});
			oneSentence(result);
			expect(result.stderr).toContain('"not a url" is not a URL.');
		});

		it('http:// to a host off this machine: refused by policy before any packet leaves', async () => {
			// No packet: the refusal comes before the token is minted or any name is resolved (a bogus proxy would show one).
			const result = await runCli(['doctor', 'http://service.example.com/', '--source', 'metadata'], {
				env: {...env, HTTP_PROXY: 'http://127.0.0.1:9'},
			});
			oneSentence(result);
			expect(result.stderr).toContain(
				'The token is sent only over https (plain http only to this machine), so http://service.example.com was not called.',
			);
		});

		it('a refused connection', async () => {
			const server = await localServer(() => {});
			const {url} = server;
			await server.close();
			const result = await runCli(['doctor', url, '--source', 'metadata'], {env});
			oneSentence(result);
			expect(result.stderr).toContain(`${url} refused the connection.`);
		});

		it('a server that never answers', async () => {
			const server = await localServer(() => {});
			try {
				const result = await runCli(['doctor', server.url, '--source', 'metadata'], {env, timeoutMs: 25_000});
				oneSentence(result);
				expect(result.stderr).toContain(`${server.url} did not answer within 10 s.`);
			} finally {
				await server.close();
			}
		}, 25_000);

		it('a redirect: reported, never followed', async () => {
			let followed = 0;
			const target = await localServer((_request, response) => {
				followed++;
				response.end('here');
			});
			const server = await localServer((_request, response) => response.writeHead(302, {location: `${target.url}/elsewhere`}).end());
			try {
				const result = await runCli(['doctor', server.url, '--source', 'metadata'], {env});
				oneSentence(result);
				expect(result.stderr).toContain(
					`answered HTTP 302, a redirect to ${target.url}/elsewhere; doctor never follows a redirect with the token.`,
				);
				expect(followed).toBe(0);
			} finally {
				await Promise.all([server.close(), target.close()]);
			}
		});
	});

	it('a 10 MB body: reads 64 KiB of it, says so, and still gives the verdict', {tags: ['timing']}, async () => {
		const chunk = Buffer.alloc(1024 * 1024, 'x');
		const server = await localServer((_request, response) => {
			response.writeHead(200, {'content-type': 'text/plain', 'content-length': String(10 * chunk.length)});
			for (let index = 0; index < 10; index++) response.write(chunk);
			response.end();
		});
		try {
			const result = await runCli(['doctor', server.url, '--source', 'metadata'], {env});
			expect(result.code).toBe(0);
			expect(result.ms).toBeLessThan(20_000);
			expect(result.stdout).toMatch(/^✓ accepted: HTTP 200/);
			expect(result.stdout).toContain('(body cut at 64 KiB)');
			expect(result.stdout.length).toBeLessThan(4000);
		} finally {
			await server.close();
		}
	});
});
