import {afterEach, describe, expect, it, vi} from 'vitest';
import {TokscopeError} from '../../../src/core/errors.js';
import {externalClient, serviceAccountClient, userClient} from '../../../src/sources/library/clients.js';
import {parseCredentialJson, readCredentialFile} from '../../../src/sources/credential-file.js';
import {useFixture} from '../../support/fixture.js';
import {hostileServer, type HostileServer} from '../../hostile/servers.js';

// The one place credentials become google-auth-library clients: the real library, pointed at the emulator (or at a
// hostile server on loopback), as a source uses it.

const fixture = useFixture();
const cloudPlatform = ['https://www.googleapis.com/auth/cloud-platform'];

let hostile: HostileServer | undefined;
afterEach(async () => {
	vi.unstubAllEnvs();
	await hostile?.close();
	hostile = undefined;
});

describe('credential clients', () => {
	it('refuses a damaged private key with a sentence naming the file, before any request is made', async () => {
		const file = await readCredentialFile(fixture.files.serviceAccountKey);
		const damaged = parseCredentialJson(JSON.stringify({...file.json, private_key: '-----BEGIN PRIVATE KEY-----\nAAAA'}), file.path);
		const made = fixture.emulator.requests.length;
		const error = (() => {
			try {
				serviceAccountClient(damaged, cloudPlatform);
			} catch (caught) {
				return caught;
			}
		})();
		expect(error).toBeInstanceOf(TokscopeError);
		const why = 'cannot be read as a private key (it is damaged, cut short or not PEM), so no token can be signed with it.';
		expect((error as TokscopeError).message).toBe(`The private_key in ${file.path} ${why}`);
		expect((error as TokscopeError).hint).toMatch(/^Download a new key for the service account: gcloud iam service-accounts keys/);
		expect(fixture.emulator.requests).toHaveLength(made);
	});

	it('posts to the token_uri in the file (the emulator), and never sends loopback through HTTPS_PROXY', async () => {
		// A proxy that is not there: a request sent through it would be refused.
		vi.stubEnv('HTTPS_PROXY', 'http://127.0.0.1:9');
		vi.stubEnv('HTTP_PROXY', 'http://127.0.0.1:9');
		const key = serviceAccountClient(await readCredentialFile(fixture.files.serviceAccountKey), cloudPlatform);
		expect((await key.accessToken()).token).toMatch(/^ya29\./);
		const user = userClient((await readCredentialFile(fixture.files.authorizedUser)).json);
		expect((await user.accessToken()).token).toMatch(/^ya29\./);
		expect(fixture.emulator.requests.filter(request => request.path === '/token')).toHaveLength(2);
	});

	it('stops reading a token answer that runs past 1 MiB, and hangs up', async () => {
		hostile = await hostileServer({kind: 'huge'});
		const file = await readCredentialFile(fixture.files.serviceAccountKey);
		const pointed = parseCredentialJson(JSON.stringify({...file.json, token_uri: `${hostile.url}/token`}), file.path);
		await expect(serviceAccountClient(pointed, cloudPlatform).accessToken()).rejects.toThrow(/over limit: 1048576/);
		// The library tries again (gaxios' retries), each answer cut off at the same limit.
		expect(hostile.requests.length).toBeLessThanOrEqual(4);
		expect(new Set(hostile.requests)).toEqual(new Set(['POST /token']));
		await hostile.allClosed();
	});

	it('says which federation file cannot be used, in the library’s words, as one sentence', async () => {
		const file = await readCredentialFile(fixture.files.externalAccount);
		const broken = parseCredentialJson(JSON.stringify({...file.json, credential_source: {}}), file.path);
		expect(() => externalClient(broken, {})).toThrow(new RegExp(`^The external_account file ${file.path} cannot be used: .+\\.$`));
	});
});
