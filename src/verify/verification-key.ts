import {
	createLocalJWKSet,
	decodeProtectedHeader,
	importJWK,
	importSPKI,
	importX509,
	type CryptoKey,
	type JSONWebKeySet,
	type JWK,
	type JWTVerifyGetKey,
	type KeyObject,
} from 'jose';
import {TokscopeError} from '../core/errors.js';
import {parseJson} from '../core/json.js';
import {readUserFile} from '../io/file.js';

export type Key = CryptoKey | KeyObject | Uint8Array | JWTVerifyGetKey;

/**
 * Reads the key a user gave with --key: a PEM public key or certificate, a JWK, or a JWKS. Anything unusable is the
 * user's to fix, so it is a sentence naming the file (TokscopeError), never a verdict about the token.
 */
export async function readVerificationKey(path: string, token: string): Promise<Key> {
	// Only a regular file of at most 1 MiB: a FIFO or a device named here must not hang or flood us.
	const text = (await readUserFile(path, {what: 'The key file'})).trim();
	const alg = String(decodeProtectedHeader(token).alg ?? 'RS256');
	const privateKey = `The key file ${path} holds a private key; give the public key or certificate instead.`;
	if (text.includes('PRIVATE KEY-----')) throw new TokscopeError('file', privateKey);
	let json: unknown;
	if (!text.startsWith('-----')) {
		json = parseJson(text);
		if (json === undefined) throw new TokscopeError('file', `The key file ${path} is neither PEM nor JSON (a JWK or a JWKS).`);
	}
	const keys = json && typeof json === 'object' && Array.isArray((json as JSONWebKeySet).keys) ? (json as JSONWebKeySet).keys : undefined;
	// An asymmetric JWK with "d" is a private key: refusing it keeps users from passing secrets around to verify.
	const isPrivate = (jwk: unknown) => Boolean(jwk && typeof jwk === 'object' && 'd' in jwk && (jwk as JWK).kty !== 'oct');
	if ((keys ?? [json]).some(isPrivate)) throw new TokscopeError('file', privateKey);
	try {
		if (text.includes('-----BEGIN CERTIFICATE-----')) return await importX509(text, alg);
		if (text.includes('-----BEGIN PUBLIC KEY-----')) return await importSPKI(text, alg);
		if (keys) return createLocalJWKSet(json as JSONWebKeySet);
		if (json && typeof json === 'object') return await importJWK(json as JWK, alg);
	} catch {
		throw new TokscopeError('file', `The key in ${path} cannot check ${alg} signatures (wrong key type, or a damaged key).`);
	}
	throw new TokscopeError('file', `The key file ${path} holds no public key, certificate, JWK or JWKS.`);
}
