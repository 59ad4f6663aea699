import {chmod, readFile, writeFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {decodeJwt} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createSource} from '../../src/sources/index.js';
import {startFixture, type Fixture} from '../support/fixture.js';

// Workload identity federation reads its subject token from a file, a URL or an executable; each path goes
// through the real google-auth-library to the emulator's STS and, for ID tokens, its IAM Credentials.
let fixture: Fixture;
let base: Record<string, unknown>;
let subjectServer: Server;
let subjectUrl: string;
const subjectRequests: Array<string | undefined> = [];
const audience = 'https://hello-abc123.a.run.app';

beforeAll(async () => {
	fixture = await startFixture();
	base = JSON.parse(await readFile(fixture.files.externalAccount, 'utf8')) as Record<string, unknown>;
	// A stand-in for a cloud's own token service (AWS, Azure, a CI system) serving the workload's identity as JSON.
	subjectServer = createServer((request, response) => {
		subjectRequests.push(request.headers['x-workload-secret'] as string | undefined);
		response.setHeader('content-type', 'application/json');
		response.end(JSON.stringify({value: 'subject-from-url'}));
	});
	await new Promise<void>(resolve => subjectServer.listen(0, '127.0.0.1', resolve));
	subjectUrl = `http://127.0.0.1:${(subjectServer.address() as AddressInfo).port}/identity`;
});
afterAll(async () => {
	await new Promise(resolve => subjectServer.close(resolve));
	await fixture.close();
});

async function configWith(name: string, credentialSource: Record<string, unknown>): Promise<string> {
	const path = join(fixture.dir, name);
	await writeFile(path, JSON.stringify({...base, credential_source: credentialSource}));
	return path;
}

describe('external source: where the subject token comes from', () => {
	it('fetches a URL-sourced subject token (JSON field, custom header) and mints both kinds', async () => {
		const path = await configWith('url-sourced.json', {
			url: subjectUrl,
			headers: {'x-workload-secret': 'abc'},
			format: {type: 'json', subject_token_field_name: 'value'},
		});
		const source = createSource({source: 'external', keyFile: path, env: fixture.env()});
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
		expect(subjectRequests).toContain('abc');
		expect(decodeJwt((await source.idToken({audience})).token).aud).toBe(audience);
		expect((await source.describe()).details).toContain(`Federation: subject token fetched from ${subjectUrl}.`);
	});

	it('runs an executable only when GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1, as Google’s libraries require', async () => {
		const script = join(fixture.dir, 'print-subject.sh');
		const expires = Math.floor(Date.now() / 1000) + 3600;
		const response = {
			version: 1,
			success: true,
			token_type: 'urn:ietf:params:oauth:token-type:jwt',
			id_token: 'subject-from-executable',
			expiration_time: expires,
		};
		await writeFile(script, `#!/bin/sh\necho '${JSON.stringify(response)}'\n`);
		await chmod(script, 0o755);
		const path = await configWith('executable-sourced.json', {executable: {command: script, timeout_millis: 5000}});

		const refused = createSource({source: 'external', keyFile: path, env: fixture.env()});
		await expect(refused.accessToken()).rejects.toThrow(
			`${path} runs an executable to get its subject token, which Google's libraries allow only with ` +
				`GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1.`,
		);

		const allowed = createSource({source: 'external', keyFile: path, env: fixture.env({GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES: '1'})});
		expect((await allowed.accessToken()).token).toMatch(/^ya29\./);
		expect(decodeJwt((await allowed.idToken({audience, includeEmail: true})).token).email).toBe(
			'tokscope-target@tokscope-demo.iam.gserviceaccount.com',
		);
	});

	it('names the file when its credential_source cannot be used', async () => {
		const path = await configWith('no-source.json', {});
		await expect(createSource({source: 'external', keyFile: path, env: fixture.env()}).accessToken()).rejects.toThrow(
			`The external_account file ${path} cannot be used: No valid Identity Pool "credential_source" provided`,
		);
	});

	it('names the hop that is down when the subject-token URL is unreachable', async () => {
		const path = await configWith('dead-url.json', {url: 'http://127.0.0.1:1/identity'});
		const error = await createSource({source: 'external', keyFile: path, env: fixture.env()})
			.accessToken()
			.then(
				() => undefined,
				(caught: Error) => caught,
			);
		expect(error?.message).toBe(
			'The subject token URL http://127.0.0.1:1/identity (credential_source.url) could not be reached (connection refused).',
		);
	});
});

describe('workload identity federation', () => {
	const audience = 'https://hello-abc123.a.run.app/?q=1&x=2';

	it('exchanges a file-sourced subject token and mints ID tokens through impersonation', async () => {
		const source = createSource({source: 'external', keyFile: fixture.files.externalAccount, env: fixture.env()});
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
		expect(fixture.emulator.requests.some(r => r.path === '/v1/token')).toBe(true);
		expect(decodeJwt((await source.idToken({audience})).token).aud).toBe(audience);
	});

	it('explains that federation without impersonation cannot mint ID tokens', async () => {
		const {readFile} = await import('node:fs/promises');
		const json = JSON.parse(await readFile(fixture.files.externalAccount, 'utf8')) as Record<string, unknown>;
		delete json.service_account_impersonation_url;
		const plain = join(fixture.dir, 'plain-external.json');
		await writeFile(plain, JSON.stringify(json));
		const source = createSource({source: 'external', keyFile: plain, env: fixture.env()});
		expect((await source.accessToken()).token).toMatch(/^ya29\./);
		await expect(source.idToken({audience})).rejects.toThrow(/cannot mint ID tokens without service account impersonation/);
	});

	it('warns before using a credential file that sends tokens away from Google', async () => {
		const {readFile} = await import('node:fs/promises');
		const json = JSON.parse(await readFile(fixture.files.externalAccount, 'utf8')) as Record<string, unknown>;
		const evil = join(fixture.dir, 'evil-external.json');
		await writeFile(evil, JSON.stringify({...json, token_url: 'https://sts.attacker.example/v1/token'}));
		const info = await createSource({source: 'external', keyFile: evil, env: fixture.env()}).describe();
		expect(info.warnings.join(' ')).toContain('token_url in');
		expect(info.warnings.join(' ')).toContain('sts.attacker.example, which is not Google');
	});
});
