import {decodeToken} from '../core/decode.js';
import {TokscopeError} from '../core/errors.js';
import type {RawToken} from '../core/types.js';
import type {TokenSource} from './types.js';

/** Any token the user already has, pasted or piped in: shown and verified, never refreshed. */
export function pasteSource(token: string | undefined): TokenSource {
	const raw = (): RawToken => {
		if (!token?.trim()) throw new TokscopeError('The paste source needs a token: paste it, or pipe it in.');
		const view = decodeToken(token);
		return {token: token.trim(), type: view.kind === 'google-id-token' ? 'id' : 'access', expiresAt: view.expiresAt ?? undefined, fetchedAt: new Date(), latencyMs: 0};
	};
	return {
		id: 'paste',
		label: 'Pasted token',
		describe: async () => ({id: 'paste', origin: 'a token you pasted', details: ['Pasted tokens cannot be refreshed; paste a new one when it expires.'], warnings: [], idTokens: true}),
		// A pasted token is one kind or the other: the live view shows it under its own tab and points there from the other.
		accessToken: async () => {
			const pasted = raw();
			if (pasted.type === 'id') throw new TokscopeError('The pasted token is an ID token, not an access token: press tab to see it.');
			return pasted;
		},
		idToken: async () => {
			const pasted = raw();
			if (pasted.type === 'access') throw new TokscopeError('The pasted token is not an ID token: press tab to see it as an access token.');
			return pasted;
		},
	};
}
