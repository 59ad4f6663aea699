import type {TokenType} from './session/state.js';

export type CopyKind = 'token' | 'header' | 'curl' | 'claims';

export const googleTokenInfo = 'https://oauth2.googleapis.com/tokeninfo';

interface CopyInput {
	token: string;
	type: TokenType;
	audience: string | undefined;
	claims: Record<string, unknown> | null;
	/** Where an access token's curl asks what it grants: Google's tokeninfo, or the emulator's in the demo. */
	tokenInfoUrl?: string;
}

/** What each copy key puts on the clipboard, and how to name it without showing it. */
export function copyPayload(kind: CopyKind, input: CopyInput): {text: string; what: string} | string {
	const {token, type, audience, claims, tokenInfoUrl = googleTokenInfo} = input;
	const name = type === 'id' ? 'ID token' : 'access token';
	switch (kind) {
		case 'token':
			return {text: token, what: `the ${name}`};
		case 'header':
			return {text: `Authorization: Bearer ${token}`, what: `the Authorization header with the ${name}`};
		case 'curl':
			// An ID token goes to the service it names; an access token to a harmless call that shows what it may do.
			// Every value is quoted for the shell, the header included.
			return type === 'id'
				? {
						text: `curl -H ${shellQuote(`Authorization: Bearer ${token}`)} ${shellQuote(audience ?? '')}`,
						what: `a curl command calling ${audience ?? 'the audience'} with the ID token`,
					}
				: {
						text: `curl -X POST -H ${shellQuote(`Authorization: Bearer ${token}`)} ${shellQuote(tokenInfoUrl)}`,
						what: `a curl command asking tokeninfo (${tokenInfoUrl}) about the access token`,
					};
		case 'claims':
			return claims ? {text: JSON.stringify(claims, null, 2), what: `the ${name}'s claims as JSON`} : `An opaque ${name} has no claims to copy.`;
	}
}

function shellQuote(value: string): string {
	return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
