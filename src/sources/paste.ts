import {decodeToken, maxTokenBytes, normalizeToken} from '../core/decode.js';
import {TokscopeError} from '../core/errors.js';
import type {RawToken, TokenType, TokenView} from '../core/types.js';
import {readStdin} from '../io/stdin.js';
import type {SourceBody} from './types.js';

/**
 * Which tab a pasted token belongs under. Google's are known by shape; for any other issuer's JWT an RFC 9068 access
 * token says so (typ at+jwt, or scope/scp/client_id claims), and an OIDC ID token has iss, sub and aud without them.
 */
function pastedType(view: TokenView): TokenType {
	if (view.kind === 'google-id-token' || view.kind === 'id-token') return 'id';
	if (view.kind !== 'jwt' || !view.claims) return 'access';
	const {claims, header} = view;
	const typ = typeof header?.typ === 'string' ? header.typ.toLowerCase() : '';
	if (typ === 'at+jwt' || typ === 'application/at+jwt' || 'scope' in claims || 'scp' in claims || 'client_id' in claims) return 'access';
	return 'iss' in claims && 'sub' in claims && 'aud' in claims ? 'id' : 'access';
}

/** Reads a piped token once; a terminal on stdin is a sentence, not a wait. */
async function readPiped(stdin: NodeJS.ReadStream): Promise<string> {
	if (stdin.isTTY) throw new TokscopeError('usage', 'The paste source needs a token: paste it, or pipe it in.');
	return readStdin(stdin, maxTokenBytes * 4);
}

/** Any token the user already has, pasted or piped in: shown and verified, never refreshed. */
export function pasteSource(token: string | undefined, stdin: NodeJS.ReadStream = process.stdin): SourceBody {
	let input: Promise<string> | undefined;
	const raw = async (): Promise<RawToken> => {
		const text = token ?? (await (input ??= readPiped(stdin)));
		const pasted = normalizeToken(text);
		if (!pasted) throw new TokscopeError('usage', 'The paste source needs a token: paste it, or pipe it in.');
		const view = decodeToken(pasted);
		return {token: pasted, type: pastedType(view), expiresAt: view.expiresAt ?? undefined, fetchedAt: new Date(), latencyMs: 0};
	};
	return {
		describe: async () => ({
			id: 'paste',
			origin: 'a token you pasted',
			details: ['Pasted tokens cannot be refreshed; paste a new one when it expires.'],
			warnings: [],
			idTokens: true,
		}),
		// A pasted token is one kind or the other: the live view shows it under its own tab and points there from the other.
		accessToken: async () => {
			const pasted = await raw();
			if (pasted.type === 'id')
				throw new TokscopeError('cannot-mint', 'The pasted token is an ID token, not an access token: press tab to see it.');
			return pasted;
		},
		idToken: async () => {
			const pasted = await raw();
			if (pasted.type === 'access')
				throw new TokscopeError('cannot-mint', 'The pasted token is not an ID token: press tab to see it as an access token.');
			return pasted;
		},
	};
}
