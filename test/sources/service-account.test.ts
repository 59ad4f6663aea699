import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {decodeJwt} from 'jose';
import {describe, expect, it} from 'vitest';
import {decodeToken} from '../../src/core/decode.js';
import {createSource} from '../../src/sources/index.js';
import {useFixture} from '../support/fixture.js';

const fixture = useFixture();

const audience = 'https://hello-abc123.a.run.app/?q=1&x=2';

describe('key-file: both kinds of token from a service-account key', () => {
	it('mints an access token and an ID token, honouring token_uri', async () => {
		const source = createSource({source: 'key-file', keyFile: fixture.files.serviceAccountKey});
		const access = await source.accessToken();
		expect(decodeToken(access.token).kind).toBe('google-access-token');
		expect(access.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
		expect(fixture.emulator.requests.some(r => r.method === 'POST' && r.path === '/token')).toBe(true);
		const id = await source.idToken({audience});
		expect(decodeJwt(id.token)).toMatchObject({aud: audience, email: fixture.emulator.serviceAccountEmail});
		const info = await source.describe();
		expect(info).toMatchObject({
			principal: fixture.emulator.serviceAccountEmail,
			projectId: fixture.emulator.projectId,
			credentialType: 'service_account',
			warnings: [],
		});
	});

	it('names the file and the fault when a key is missing, malformed or of the wrong kind', async () => {
		const broken = join(fixture.dir, 'broken.json');
		await writeFile(broken, '{"type": "service_account", "client_email": ');
		await expect(createSource({source: 'key-file', keyFile: join(fixture.dir, 'nope.json')}).accessToken()).rejects.toThrow(
			/nope\.json does not exist/,
		);
		await expect(createSource({source: 'key-file', keyFile: broken}).accessToken()).rejects.toThrow(/broken\.json is not valid JSON/);
		await expect(createSource({source: 'key-file', keyFile: fixture.files.authorizedUser}).accessToken()).rejects.toThrow(
			/is an authorized_user file, not service_account/,
		);
		await expect(createSource({source: 'key-file'}).accessToken()).rejects.toThrow(/--key-file/);
	});

	it('still reaches a loopback token endpoint when a proxy is configured, and names a proxy that is down', async () => {
		const saved = {HTTPS_PROXY: process.env.HTTPS_PROXY, HTTP_PROXY: process.env.HTTP_PROXY};
		process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
		process.env.HTTP_PROXY = 'http://127.0.0.1:9';
		try {
			expect((await createSource({source: 'key-file', keyFile: fixture.files.serviceAccountKey}).accessToken()).token).toMatch(/^ya29\./);
			const {readFile} = await import('node:fs/promises');
			const key = JSON.parse(await readFile(fixture.files.serviceAccountKey, 'utf8')) as Record<string, unknown>;
			const remote = join(fixture.dir, 'remote-token-uri.json');
			await writeFile(remote, JSON.stringify({...key, token_uri: 'https://oauth2.private.example/token'}));
			await expect(createSource({source: 'key-file', keyFile: remote}).accessToken()).rejects.toThrow(
				'https://oauth2.private.example/token could not be reached through the proxy 127.0.0.1:9 (from ' +
					'HTTPS_PROXY/HTTP_PROXY) (connection refused) while asking the OAuth token endpoint for a token.',
			);
		} finally {
			Object.assign(process.env, saved);
			if (!saved.HTTPS_PROXY) delete process.env.HTTPS_PROXY;
			if (!saved.HTTP_PROXY) delete process.env.HTTP_PROXY;
		}
	});

	it('gives up on a token endpoint that stalls after the deadline, with a sentence', {tags: ['timing']}, async () => {
		fixture.emulator.setFault('/token', {stall: true});
		const started = Date.now();
		await expect(
			createSource({source: 'key-file', keyFile: fixture.files.serviceAccountKey, timeoutMs: 500}).accessToken(),
		).rejects.toThrow('The OAuth token endpoint did not answer within 0.5 s.');
		expect(Date.now() - started).toBeLessThan(1500);
	});
});
