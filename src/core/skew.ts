import {formatDuration} from './times.js';
import type {TokenView} from './types.js';

/** Clocks disagree by a few seconds all the time; beyond this it explains real failures ("token used before issued"). */
const toleranceMs = 30_000;

/**
 * A sentence when the token's times disagree with this machine's clock: issued in the future (this clock is behind)
 * or a lifetime no Google token has (an exp clamped by times.ts's expiryOf, none at all, or one past 24 hours).
 * Verifiers reject such tokens, and the cause is easy to miss.
 */
export function clockSkewWarning(view: Pick<TokenView, 'issuedAt' | 'expiresAt' | 'expiryNote'>, now: Date): string | undefined {
	if (view.expiryNote) return view.expiryNote;
	if (view.issuedAt && view.issuedAt.getTime() - now.getTime() > toleranceMs) {
		return (
			`This token was issued ${formatDuration(view.issuedAt.getTime() - now.getTime())} in the future by ` +
			`this machine's clock: the clock is behind by about that much, and services will reject tokens as not yet valid.`
		);
	}
	if (view.issuedAt && view.expiresAt) {
		const lifetime = view.expiresAt.getTime() - view.issuedAt.getTime();
		// exp = iat is a token issued already expired (an issuer told to expire tokens now, as the demo's break does).
		if (lifetime === 0) return 'This token expired at issue (exp equals iat): no service will accept it.';
		if (lifetime < 0) return 'This token expires before it was issued: its times are wrong.';
		if (lifetime > 24 * 3600_000)
			return `This token claims a lifetime of ${formatDuration(lifetime)}; Google's tokens live at most 12 hours, so its times look wrong.`;
	}
	return undefined;
}
