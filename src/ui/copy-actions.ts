import {googleTokenInfoUrl} from '../core/google.js';
import {shellQuote} from '../core/shell-quote.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {tokenShapeProblem} from '../core/token-shape.js';
import type {TokenType} from '../core/types.js';

export type CopyKind = 'token' | 'header' | 'curl' | 'claims';

/**
 * The curl command `u` copies: every value single-quoted, so pasting it runs curl and nothing a token could say, and the
 * URL after `--`, where curl reads every word as a URL: an audience of `--config=/etc/passwd` or `-o…` is not an option.
 */
export function curlCommand(token: string, type: TokenType, audience: string | undefined, tokenInfoUrl = googleTokenInfoUrl): string {
	const header = shellQuote(`Authorization: Bearer ${token}`);
	// An ID token goes to the service it names; an access token to a harmless call that shows what it may do.
	return type === 'id' ? `curl -H ${header} -- ${shellQuote(audience ?? '')}` : `curl -X POST -H ${header} -- ${shellQuote(tokenInfoUrl)}`;
}

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
	const {token, type, audience, claims, tokenInfoUrl = googleTokenInfoUrl} = input;
	const name = type === 'id' ? 'ID token' : 'access token';
	// Sources refuse a malformed token already; a header or a command is never built around one that slipped through.
	const problem = kind === 'header' || kind === 'curl' ? tokenShapeProblem(token, type) : undefined;
	if (problem)
		return `The ${name} is not well-formed (${problem}), so it was not put in ${kind === 'curl' ? 'a shell command' : 'a header'}.`;
	switch (kind) {
		case 'token':
			return {text: token, what: `the ${name}`};
		case 'header':
			return {text: `Authorization: Bearer ${token}`, what: `the Authorization header with the ${name}`};
		case 'curl':
			return type === 'id'
				? {
						text: curlCommand(token, type, audience),
						what: `a curl command calling ${audience ? terminalSafe(audience) : 'the audience'} with the ID token`,
					}
				: {
						text: curlCommand(token, type, audience, tokenInfoUrl),
						what: `a curl command asking tokeninfo (${terminalSafe(tokenInfoUrl)}) about the access token`,
					};
		case 'claims':
			return claims
				? {text: JSON.stringify(claims, null, 2), what: `the ${name}'s claims as JSON`}
				: `An opaque ${name} has no claims to copy.`;
	}
}
