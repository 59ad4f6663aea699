import {isGoogleIssuer} from '../core/google.js';
import {terminalSafe} from '../core/terminal-safe.js';

/** What the caller expects a token to say: `inspect --expect-audience`, `--expect-issuer`. */
export interface ExpectedClaims {
	audience?: string;
	issuer?: string;
}

const sameIssuer = (a: string, b: string) => a === b || (isGoogleIssuer(a) && isGoogleIssuer(b));

/** The sentence for expectations that all held. */
export function expectationsMet(expected: ExpectedClaims): string {
	const met = [
		...(expected.audience === undefined ? [] : [`aud is ${expected.audience}`]),
		...(expected.issuer === undefined ? [] : [`iss is ${expected.issuer}`]),
	];
	return terminalSafe(`As expected: ${met.join(', ')}.`);
}

/**
 * The sentence saying which claim differs from what was expected, or undefined when both match. `aud` is compared
 * exactly, as a service compares it (RFC 7519 §4.1.3): a trailing slash or http:// is a different audience.
 */
export function expectedClaimsMismatch(claims: Record<string, unknown> | null, expected: ExpectedClaims): string | undefined {
	const problems: string[] = [];
	if (expected.audience !== undefined) {
		const aud = claims?.aud;
		const audiences =
			typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((value): value is string => typeof value === 'string') : [];
		if (!claims) problems.push(`The token is opaque, so its audience cannot be read; expected ${expected.audience}.`);
		else if (audiences.length === 0) problems.push(`The token has no aud claim; expected ${expected.audience}.`);
		else if (!audiences.includes(expected.audience)) {
			problems.push(
				audiences.length === 1
					? `The token's aud is ${audiences[0]}, not the expected ${expected.audience}.`
					: `The token's aud (${audiences.join(', ')}) does not include the expected ${expected.audience}.`,
			);
		}
	}
	if (expected.issuer !== undefined) {
		const iss = claims?.iss;
		if (!claims) problems.push(`The token is opaque, so its issuer cannot be read; expected ${expected.issuer}.`);
		else if (typeof iss !== 'string') problems.push(`The token has no iss claim; expected ${expected.issuer}.`);
		else if (!sameIssuer(iss, expected.issuer)) problems.push(`The token's issuer (iss) is ${iss}, not the expected ${expected.issuer}.`);
	}
	return problems.length > 0 ? terminalSafe(problems.join(' ')) : undefined;
}
