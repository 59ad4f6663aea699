import {chmod, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createSource} from '../../src/sources/index.js';

// A stand-in `gcloud` on PATH that misbehaves as a broken or hostile installation might: it hangs, floods its stderr,
// or prints escapes where a token should be. (The real gcloud is tested in gcloud.test.ts.)

let bin: string;
beforeAll(async () => {
	bin = await mkdtemp(join(tmpdir(), 'tokscope-fake-gcloud-'));
});
afterAll(() => rm(bin, {recursive: true, force: true}));

async function fakeGcloud(script: string): Promise<NodeJS.ProcessEnv> {
	const dir = await mkdtemp(join(bin, 'v-'));
	await writeFile(join(dir, 'gcloud'), `#!/bin/sh\n${script}\n`);
	await chmod(join(dir, 'gcloud'), 0o755);
	return {PATH: `${dir}:/usr/bin:/bin`};
}

describe('the gcloud source with a misbehaving gcloud', () => {
	it(
		'gives describe and the token one deadline between them: a hanging gcloud is one error after it, not two',
		{tags: ['timing']},
		async () => {
			const source = createSource({source: 'gcloud', env: await fakeGcloud('exec sleep 30'), timeoutMs: 2000});
			const started = Date.now();
			const describing = source.describe();
			// The token is asked a second later, while describe still waits on gcloud: it gets what is left of the deadline.
			await new Promise(done => setTimeout(done, 1000));
			const token = await source.accessToken().catch((error: Error) => error);
			expect(Date.now() - started).toBeLessThan(2700);
			expect((token as Error).message).toBe('gcloud did not finish within 2 s.');
			expect((await describing).principal).toBeUndefined();
		},
	);

	it('cuts 5 MB of stderr to a short sentence', async () => {
		const env = await fakeGcloud(`head -c 5000000 /dev/zero | tr '\\\\0' 'x' >&2; exit 1`);
		const error = await createSource({source: 'gcloud', env, timeoutMs: 10_000})
			.accessToken()
			.then(
				() => new Error('answered'),
				(caught: Error) => caught,
			);
		expect(error.message.length).toBeLessThan(400);
		expect(error.message).toMatch(/^gcloud (failed: x+…\.|printed far more than a token or an error)/);
	});

	it('shows a few words of a long multi-line error, visibly', async () => {
		const env = await fakeGcloud(`printf 'ERROR: (gcloud.auth) bad\\033[2J thing\\nline two\\n' >&2; exit 1`);
		const error = await createSource({source: 'gcloud', env})
			.accessToken()
			.then(
				() => new Error('answered'),
				(caught: Error) => caught,
			);
		expect(error.message).toBe('gcloud failed: (gcloud.auth) bad\\u001b[2J thing line two.');
	});

	it('refuses escapes where a token should be, naming gcloud', async () => {
		const env = await fakeGcloud(`printf 'ya29.abc\\033]52;c;ZXZpbA==\\007\\n'`);
		const error = await createSource({source: 'gcloud', env})
			.accessToken()
			.then(
				() => new Error('answered'),
				(caught: Error) => caught,
			);
		expect(error.message).toBe(
			'The gcloud CLI answered with something that is not an access token: characters no access token has. It was not used.',
		);
	});
});
