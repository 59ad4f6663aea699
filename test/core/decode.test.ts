import fc from 'fast-check';
import {SignJWT, UnsecuredJWT, generateKeyPair} from 'jose';
import {describe, expect, it} from 'vitest';
import {decodeToken, normalizeToken, viewOfRawToken} from '../../src/core/decode.js';
import {TokscopeError} from '../../src/core/errors.js';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('decodeToken', () => {
	it('reads a Google-shaped ID token: kind, claims and times', async () => {
		const {privateKey} = await generateKeyPair('RS256');
		const token = await new SignJWT({azp: '123', email: 'a@b.iam.gserviceaccount.com'})
			.setProtectedHeader({alg: 'RS256', kid: 'k1'})
			.setIssuer('https://accounts.google.com')
			.setAudience('https://svc.run.app')
			.setSubject('123')
			.setIssuedAt(1_700_000_000)
			.setExpirationTime(1_700_003_600)
			.sign(privateKey);
		const view = decodeToken(`  ${token}\n`);
		expect(view.kind).toBe('google-id-token');
		expect(view.claims?.aud).toBe('https://svc.run.app');
		expect(view.header?.kid).toBe('k1');
		expect(view.issuedAt?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
		expect(view.expiresAt!.getTime() - view.issuedAt!.getTime()).toBe(3_600_000);
	});

	it('names a self-signed service-account JWT and a JWT from another issuer', async () => {
		const {privateKey} = await generateKeyPair('RS256');
		const sa = 'sa@p.iam.gserviceaccount.com';
		const selfSigned = await new SignJWT({scope: 'https://www.googleapis.com/auth/cloud-platform'})
			.setProtectedHeader({alg: 'RS256'})
			.setIssuer(sa)
			.setSubject(sa)
			.setIssuedAt()
			.setExpirationTime('1h')
			.sign(privateKey);
		expect(decodeToken(selfSigned).kind).toBe('self-signed-jwt');
		const other = await new SignJWT({scope: 'read'})
			.setProtectedHeader({alg: 'RS256'})
			.setIssuer('https://auth.example.com')
			.setSubject('u')
			.sign(privateKey);
		expect(decodeToken(other).kind).toBe('jwt');
	});

	it('calls Google’s shape from another issuer an ID token, and only Google’s own a Google ID token', async () => {
		const {privateKey} = await generateKeyPair('RS256');
		const shaped = (issuer: string) =>
			new SignJWT({azp: '123'})
				.setProtectedHeader({alg: 'RS256'})
				.setIssuer(issuer)
				.setAudience('https://svc.run.app')
				.setSubject('123')
				.setIssuedAt()
				.setExpirationTime('1h')
				.sign(privateKey);
		expect(decodeToken(await shaped('http://127.0.0.1:4000')).kind).toBe('id-token');
		expect(decodeToken(await shaped('https://login.example.com')).kind).toBe('id-token');
		expect(decodeToken(await shaped('accounts.google.com')).kind).toBe('google-id-token');
	});

	it('recognises opaque Google access tokens and fills expiry from what the source said', () => {
		const raw = {
			token: `ya29.${'a'.repeat(60)}`,
			type: 'access' as const,
			expiresAt: new Date(10_000),
			fetchedAt: new Date(5_000),
			latencyMs: 3,
		};
		const view = viewOfRawToken(raw);
		expect(view.kind).toBe('google-access-token');
		expect(view.expiresAt).toEqual(new Date(10_000));
		expect(view.issuedAt).toEqual(new Date(5_000));
	});

	it.each([
		['', /No token was given/],
		['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0', /has 2 parts; a JWT has three/],
		['eyJ.a.b.c.d', /encrypted JWT \(JWE/],
		[`eyJhbGciOiJSUzI1NiJ9.${b64('not json')}.sig`, /payload is not a valid base64url-encoded JSON object/],
		[`eyJhbGciOiJSUzI1NiJ9.${b64([1, 2])}.sig`, /payload is not a valid/],
		[`eyJub3QganNvbg.${b64({a: 1})}.sig`, /header is not valid/],
		['hello world, this is not a token', /This is not a token/],
		['x'.repeat(200_000), /far larger than any token/],
	])('refuses %# with one sentence that does not echo the input', (input, message) => {
		let error: unknown;
		try {
			decodeToken(input);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(TokscopeError);
		expect((error as Error).message).toMatch(message);
		if (input.length > 10) expect((error as Error).message).not.toContain(input.slice(0, 20));
	});

	it('reads a JWT whose header JSON starts with a space (so not with eyJ)', () => {
		const token = `${b64(' {"alg":"RS256"}')}.${b64({sub: 'x', iss: 'https://auth.example.com'})}.c2ln`;
		expect(token.startsWith('eyJ')).toBe(false);
		expect(decodeToken(token)).toMatchObject({kind: 'jwt', header: {alg: 'RS256'}, claims: {sub: 'x'}});
	});

	it('finds the token in what people paste: a curl header, a Bearer prefix, JSON quotes', () => {
		const token = `ya29.${'c'.repeat(40)}`;
		for (const pasted of [`Authorization: Bearer ${token}`, `bearer ${token}\n`, `"${token}"`, `  '${token}'  `]) {
			expect(normalizeToken(pasted)).toBe(token);
			expect(decodeToken(pasted).kind).toBe('google-access-token');
		}
		expect(() => decodeToken('Bearer ')).toThrow(/No token was given/);
	});

	it('decodes an unsigned token but marks nothing valid', () => {
		const view = decodeToken(new UnsecuredJWT({sub: 'x'}).encode());
		expect(view.header?.alg).toBe('none');
		expect(view.verification.status).toBe('unverified');
	});

	it('never throws anything but a sentence on random input', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string(),
					fc.string({unit: 'binary'}),
					fc.base64String().map(s => `eyJ${s}.${s}.${s}`),
					fc.json().map(json => `${b64('{"alg":"RS256"}')}.${b64(json)}.x`),
				),
				input => {
					try {
						decodeToken(input);
					} catch (error) {
						expect(error).toBeInstanceOf(TokscopeError);
					}
				},
			),
			{numRuns: 2000},
		);
	});
});

describe('claims nested absurdly deep', () => {
	const claims = (depth: number) => `{"iss":"https://auth.example.com","sub":"x","deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
	const deepToken = (depth: number) => `${b64({alg: 'RS256', typ: 'JWT'})}.${b64(claims(depth))}.c2ln`;

	it('are cut at 64 levels where the token is read, so showing or serialising them cannot overflow the stack', () => {
		const view = decodeToken(deepToken(6000));
		const json = JSON.stringify(view.claims);
		expect(json).toContain('"…nested deeper than 64 levels"');
		expect(view.claims).toMatchObject({iss: 'https://auth.example.com', sub: 'x'});
	});

	it('are kept whole up to 64 levels', () => {
		const view = decodeToken(deepToken(63));
		expect(JSON.stringify(view.claims)).not.toContain('nested deeper');
	});
});
