import {Readable} from 'node:stream';
import {generateKeyPair, SignJWT} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createSource} from '../../src/sources/index.js';
import {pasteSource} from '../../src/sources/paste.js';
import {startFixture, type Fixture} from '../support/fixture.js';

// Tokens from issuers other than Google, made at run time: the paste source takes any of them.
let key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
beforeAll(async () => {
	({privateKey: key} = await generateKeyPair('RS256'));
});

const sign = (claims: Record<string, unknown>, typ = 'JWT') =>
	new SignJWT(claims)
		.setProtectedHeader({alg: 'RS256', typ})
		.setIssuer('https://login.example.com/')
		.setSubject('user-1')
		.setAudience('my-api')
		.setIssuedAt()
		.setExpirationTime('10m')
		.sign(key);

const piped = (text: string) => Object.assign(Readable.from([Buffer.from(text)]), {isTTY: false}) as unknown as NodeJS.ReadStream;

describe('paste source', () => {
	it('files another issuer’s OIDC ID token under ID tokens and its RFC 9068 access token under access tokens', async () => {
		const idToken = await sign({nonce: 'n'});
		const id = await createSource({source: 'paste', token: idToken}).idToken({audience: 'ignored'});
		expect(id).toMatchObject({token: idToken, type: 'id'});
		expect(id.expiresAt!.getTime()).toBeGreaterThan(Date.now());
		await expect(createSource({source: 'paste', token: idToken}).accessToken()).rejects.toThrow(
			'The pasted token is an ID token, not an access token',
		);

		const accessToken = await sign({scope: 'read'}, 'at+jwt');
		expect(await createSource({source: 'paste', token: accessToken}).accessToken()).toMatchObject({token: accessToken, type: 'access'});
	});

	it('takes the token out of a pasted curl header', async () => {
		const idToken = await sign({});
		expect((await createSource({source: 'paste', token: `Authorization: Bearer ${idToken}\n`}).idToken({audience: 'x'})).token).toBe(
			idToken,
		);
	});

	it('reads a token piped on stdin once, and refuses to wait on a terminal', async () => {
		const idToken = await sign({});
		const source = pasteSource(undefined, piped(`${idToken}\n`));
		expect((await source.idToken({audience: 'x'})).token).toBe(idToken);
		expect((await source.idToken({audience: 'x'})).token).toBe(idToken);
		const terminal = Object.assign(Readable.from([]), {isTTY: true}) as unknown as NodeJS.ReadStream;
		await expect(pasteSource(undefined, terminal).idToken({audience: 'x'})).rejects.toThrow(
			'The paste source needs a token: paste it, or pipe it in.',
		);
		await expect(pasteSource(undefined, piped('  \n')).accessToken()).rejects.toThrow('The paste source needs a token');
	});
});

describe('paste source with a token minted elsewhere', () => {
	const audience = 'https://hello-abc123.a.run.app/?q=1&x=2';
	let fixture: Fixture;
	beforeAll(async () => {
		fixture = await startFixture();
	});
	afterAll(() => fixture.close());

	it('takes a pasted token as it is, typed by what it decodes to', async () => {
		const id = await createSource({source: 'key-file', keyFile: fixture.files.serviceAccountKey}).idToken({audience});
		const pasted = await createSource({source: 'paste', token: `${id.token}\n`}).idToken({audience: 'ignored'});
		expect(pasted).toMatchObject({token: id.token, type: 'id'});
		await expect(createSource({source: 'paste', token: 'not a token at all'}).accessToken()).rejects.toThrow(/not a token/);
	});
});
