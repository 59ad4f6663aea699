import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {SignJWT, exportJWK, generateKeyPair} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {TokscopeError} from '../../src/core/errors.js';
import {readVerificationKey} from '../../src/verify/verification-key.js';

let dir: string;
let token: string;
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tokscope-key-'));
	token = await new SignJWT({sub: 'x'}).setProtectedHeader({alg: 'RS256'}).sign((await generateKeyPair('RS256')).privateKey);
});
afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

describe('readVerificationKey (inspect --key)', () => {
	it.skipIf(!existsSync('/usr/bin/mkfifo'))(
		'refuses a FIFO with no writer with a sentence naming it, instead of hanging',
		{tags: ['timing']},
		async () => {
			const fifo = join(dir, 'key.pem');
			execFileSync('mkfifo', [fifo]);
			const started = performance.now();
			const error = await readVerificationKey(fifo, token).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(TokscopeError);
			expect((error as Error).message).toBe(`The key file ${fifo} is not a regular file (it is a named pipe (FIFO)), so it was not read.`);
			expect(performance.now() - started).toBeLessThan(1000);
		},
	);

	it.skipIf(!existsSync('/dev/urandom'))('refuses /dev/urandom at once instead of reading gigabytes', async () => {
		await expect(readVerificationKey('/dev/urandom', token)).rejects.toThrow(
			'The key file /dev/urandom is not a regular file (it is a device), so it was not read.',
		);
	});

	it('reads a JWK whose extra members nest absurdly deep', async () => {
		const jwk = await exportJWK((await generateKeyPair('RS256')).publicKey);
		const path = join(dir, 'deep.jwk.json');
		await writeFile(path, JSON.stringify(jwk).replace(/}$/, `, "x-extra": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`));
		expect(await readVerificationKey(path, token)).toBeTruthy();
	});
});
