import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';
import {metadataIdToken} from '../emulator/services/tokens.js';
import {runCli} from '../support/cli.js';

// inspect --expect-audience / --expect-issuer from the built CLI: a token for another audience or issuer is invalid.
describe.skipIf(!existsSync(resolve('dist/cli.js')))('inspect --expect-audience and --expect-issuer', () => {
	let emulator: Emulator;
	let token: string;
	beforeAll(async () => {
		emulator = await startEmulator({services: false});
		token = await metadataIdToken(emulator, 'https://svc.run.app');
	});
	afterAll(() => emulator.close());

	it('exits 0 when both match, and 1 with the sentence naming the claim when one differs', async () => {
		expect((await runCli(['inspect', token, '--expect-audience', 'https://svc.run.app', '--expect-issuer', emulator.url])).code).toBe(0);
		const audience = await runCli(['inspect', token, '--expect-audience', 'https://svc.run.app/']);
		expect(audience.code).toBe(1);
		// The signature is good; what differs is the audience: each said on its own row.
		expect(audience.stdout).toMatch(/\nsignature +✓ valid — Signature verified with the issuer’s published keys/);
		expect(audience.stdout).toMatch(
			/\nexpected +✗ not met — The token's aud is https:\/\/svc\.run\.app, not the expected https:\/\/svc\.run\.app\/\.\n/,
		);
		const issuer = await runCli(['inspect', token, '--no-verify', '--json', '--expect-issuer', 'https://accounts.google.com']);
		expect(issuer.code).toBe(1);
		expect(JSON.parse(issuer.stdout).verification).toMatchObject({
			status: 'invalid',
			reason: `The token's issuer (iss) is ${emulator.url}, not the expected https://accounts.google.com.`,
			signature: {status: 'unverified', reason: 'Not checked (--no-verify).'},
			expected: {status: 'mismatch', reason: `The token's issuer (iss) is ${emulator.url}, not the expected https://accounts.google.com.`},
		});
	});

	it('says in --json that the signature is good and the audience is not the one expected, and when both hold', async () => {
		const mismatch = JSON.parse((await runCli(['inspect', token, '--json', '--expect-audience', 'https://other.run.app'])).stdout);
		expect(mismatch.verification).toEqual({
			status: 'invalid',
			reason: "The token's aud is https://svc.run.app, not the expected https://other.run.app.",
			issuer: emulator.url,
			keyId: expect.any(String),
			signature: {status: 'valid', reason: expect.stringMatching(/^Signature verified with the issuer’s published keys/)},
			expected: {status: 'mismatch', reason: "The token's aud is https://svc.run.app, not the expected https://other.run.app."},
		});
		const met = await runCli(['inspect', token, '--expect-audience', 'https://svc.run.app', '--expect-issuer', emulator.url]);
		expect(met.stdout).toMatch(
			new RegExp(`\\nexpected +✓ met — As expected: aud is https://svc\\.run\\.app, iss is ${emulator.url.replaceAll('.', '\\.')}\\.\\n`),
		);
		// Without expectations, signature repeats the verdict: scripts read one field either way.
		const plain = JSON.parse((await runCli(['inspect', token, '--json'])).stdout);
		expect(plain.verification.signature).toEqual({status: plain.verification.status, reason: plain.verification.reason});
		expect(plain.verification).not.toHaveProperty('expected');
	});
});
