import {decodeJwt} from 'jose';
import {describe, expect, it} from 'vitest';
import {createSource} from '../../src/sources/index.js';
import {useFixture} from '../support/fixture.js';

const fixture = useFixture();

const audience = 'https://hello-abc123.a.run.app/?q=1&x=2';

describe('metadata server', () => {
	it('mints both kinds, with the audience encoded intact and format=full adding the instance', async () => {
		const source = createSource({source: 'metadata', env: fixture.env()});
		expect((await source.accessToken({scopes: ['https://www.googleapis.com/auth/devstorage.read_only']})).scopes).toEqual([
			'https://www.googleapis.com/auth/devstorage.read_only',
		]);
		const id = await source.idToken({audience, format: 'full', includeLicenses: true});
		const claims = decodeJwt(id.token);
		expect(claims.aud).toBe(audience);
		expect(claims.google).toMatchObject({compute_engine: {project_id: 'tokscope-demo'}});
		expect(await source.describe()).toMatchObject({principal: fixture.emulator.serviceAccountEmail, projectId: fixture.emulator.projectId});
	});

	it('says a refused connection was refused, and a silent server silent at the deadline it was given', async () => {
		const error = await createSource({source: 'metadata', env: fixture.env({GCE_METADATA_HOST: '127.0.0.1:1'})})
			.accessToken()
			.then(
				() => new Error('answered'),
				(caught: Error) => caught,
			);
		expect(error.message).toBe(
			'The metadata server is not reachable: nothing is listening at 127.0.0.1:1 (connection refused) (not on GCE, GKE or Cloud Run?).',
		);
		// Named by the user, the metadata server is waited for as long as any request may (here a short deadline).
		fixture.emulator.setFault('/computeMetadata/', {stall: true});
		const silent = await createSource({source: 'metadata', env: fixture.env(), timeoutMs: 2000})
			.accessToken()
			.then(
				() => new Error('answered'),
				(caught: Error) => caught,
			);
		expect(silent.message).toMatch(/^The metadata server is not reachable: no metadata server answered at 127\.0\.0\.1:\d+ within 2 s/);
	});

	it('a refused connection fails at once, not after the deadline', {tags: ['timing']}, async () => {
		const started = Date.now();
		await expect(createSource({source: 'metadata', env: fixture.env({GCE_METADATA_HOST: '127.0.0.1:1'})}).accessToken()).rejects.toThrow(
			/metadata server is not reachable/,
		);
		expect(Date.now() - started).toBeLessThan(3000);
	});

	it('the picker’s detection stays short: an absent server is said within the probe, whatever the deadline', async () => {
		fixture.emulator.setFault('/computeMetadata/', {stall: true});
		const {probeMetadata, metadataProbeMs} = await import('../../src/sources/metadata.js');
		const probe = await probeMetadata(fixture.env());
		expect(probe).toMatchObject({absent: expect.stringMatching(new RegExp(`within ${metadataProbeMs / 1000} s`))});
	});
});
