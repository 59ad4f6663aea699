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
		expect(audience.stdout).toContain("✗ invalid — The token's aud is https://svc.run.app, not the expected https://svc.run.app/.");
		const issuer = await runCli(['inspect', token, '--no-verify', '--json', '--expect-issuer', 'https://accounts.google.com']);
		expect(issuer.code).toBe(1);
		expect(JSON.parse(issuer.stdout).verification).toMatchObject({
			status: 'invalid',
			reason: `The token's issuer (iss) is ${emulator.url}, not the expected https://accounts.google.com.`,
		});
	});
});
