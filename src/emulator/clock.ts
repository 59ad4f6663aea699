/**
 * The emulator's own clock: the local one plus a skew a test or the demo sets, so "the server's clock is off"
 * can be shown. Every token it issues (iat, exp), every expiry it checks and every `Date` header it sends read it.
 */
export class Clock {
	skewSeconds = 0;

	/** Milliseconds since the epoch, as the emulator sees it. */
	now(): number {
		return Date.now() + this.skewSeconds * 1000;
	}

	date(): Date {
		return new Date(this.now());
	}

	epochSeconds(): number {
		return Math.floor(this.now() / 1000);
	}

	/** An RFC 9110 IMF-fixdate, what every Google front end sends as `Date`. */
	httpDate(): string {
		return this.date().toUTCString();
	}
}
