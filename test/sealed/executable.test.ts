import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {decodeJwt} from 'jose';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeInBox} from '../support/sealed-box.js';
import {buildSingleExecutable} from '../support/single-executable.js';

// The single executable on a VM: run in the sealed box under `env -i` with nothing but the CA variable, it reaches the
// metadata server at 169.254.169.254, verifies a Google ID token with the keys at www.googleapis.com and calls Cloud Run,
// both over HTTPS. The one-file bundle loads Node's modules its own way (scripts/build-exe.mjs), so its HTTPS is proven
// apart from dist/'s.

describeInBox('the single executable in the sealed box, under env -i', box => {
	let dir: string;
	let built: {executable: string} | {skip: string};
	// Built here, as npm run build:exe builds it (a few seconds), into a directory the box sees as it is.
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'tokscope-exe-box-'));
		built = await buildSingleExecutable(dir);
	}, 200_000);
	afterAll(() => rm(dir, {recursive: true, force: true}));

	const audience = 'https://hello-abc123xyz-uc.a.run.app';
	const tokscope = (args: string[]) => box.exec([(built as {executable: string}).executable, ...args], {env: box.env()});

	it('print-access-token --source metadata gets the VM’s token from 169.254.169.254', async context => {
		if ('skip' in built) return context.skip(built.skip);
		const result = await tokscope(['print-access-token', '--source', 'metadata']);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
	});

	it('print-identity-token, then inspect verifies it with Google’s published keys; a tampered copy is refused', async context => {
		if ('skip' in built) return context.skip(built.skip);
		const printed = await tokscope(['print-identity-token', '--audiences', audience]);
		expect(printed).toMatchObject({code: 0, stderr: ''});
		const token = printed.stdout.trim();
		expect(decodeJwt(token)).toMatchObject({aud: audience, iss: 'https://accounts.google.com'});

		const inspected = await tokscope(['inspect', token]);
		expect(inspected).toMatchObject({code: 0, stderr: ''});
		expect(inspected.stdout).toMatch(/^ID token \(OpenID Connect JWT\)/);
		expect(inspected.stdout).toMatch(/signature\s+✓ valid — Signature verified with Google’s published keys/);
		expect(inspected.stdout).toMatch(/issuer\s+https:\/\/accounts\.google\.com \(Google\)/);

		const [header, payload, signature] = token.split('.');
		const tampered = `${header}.${payload}.${signature!.slice(0, -4)}${signature!.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
		const refused = await tokscope(['inspect', tampered]);
		expect(refused.code).not.toBe(0);
		expect(refused.stdout).toMatch(/signature\s+✗ invalid/);
	});

	it('doctor calls the Cloud Run service at its run.app name over HTTPS, and it accepts the token', async context => {
		if ('skip' in built) return context.skip(built.skip);
		const result = await tokscope(['doctor', box.emulator.services.cloudRun.url]);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toMatch(/^✓ accepted: HTTP 200 for GET https:\/\/hello-abc123xyz-uc\.a\.run\.app\/ \(Cloud Run\)/);
	});
});
