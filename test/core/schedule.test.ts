import {describe, expect, it} from 'vitest';
import {maxTimerDelayMs, refreshDelayMs, retryDelayMs, timerDelayMs} from '../../src/core/schedule.js';

const at = (seconds: number) => new Date(seconds * 1000);

describe('refresh scheduling', () => {
	it('refreshes a 20-second token once per lifetime, at 80% of it', () => {
		expect(refreshDelayMs({issuedAt: at(0), expiresAt: at(20)}, at(0))).toBe(16_000);
	});

	it('refreshes an hour-long token after 48 minutes, not at the library’s 5-minute window', () => {
		expect(refreshDelayMs({issuedAt: at(0), expiresAt: at(3600)}, at(0))).toBe(2_880_000);
	});

	it('never storms on a token already past its refresh point', () => {
		// A metadata server may hand out a cached token with 4 minutes left of an hour.
		expect(refreshDelayMs({issuedAt: at(0), expiresAt: at(3600)}, at(3360))).toBe(30_000);
		expect(refreshDelayMs({issuedAt: at(0), expiresAt: at(20)}, at(19.5))).toBe(1000);
	});

	it('asks again for a token that arrived already expired on the backoff schedule, never once a second', () => {
		const dead = {issuedAt: at(100), expiresAt: at(100)};
		expect([1, 2, 3, 4, 5, 6, 7].map(inARow => refreshDelayMs(dead, at(100), inARow))).toEqual([
			2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000,
		]);
		expect(refreshDelayMs({issuedAt: at(0), expiresAt: at(50)}, at(100))).toBe(2000);
	});

	it('does not schedule tokens that do not say when they expire', () => {
		expect(refreshDelayMs({issuedAt: null, expiresAt: null}, at(0))).toBeNull();
	});

	it('backs off 2, 4, 8 … up to 60 seconds', () => {
		expect([1, 2, 3, 4, 5, 6, 7].map(retryDelayMs)).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
	});

	it('keeps every timer within setTimeout’s 32-bit limit, which would otherwise fire at once', () => {
		const sixtyDays = 60 * 86_400_000;
		expect(timerDelayMs(sixtyDays)).toBe(maxTimerDelayMs);
		expect(maxTimerDelayMs).toBe(2_147_483_647);
		expect(timerDelayMs(16_000)).toBe(16_000);
		expect(timerDelayMs(-5)).toBe(0);
	});

	it('never turns an unreadable time (NaN from a date no one could read) into a timer that fires at once', () => {
		expect(timerDelayMs(Number.NaN)).toBe(maxTimerDelayMs);
		expect(timerDelayMs(refreshDelayMs({issuedAt: null, expiresAt: new Date(Number.NaN)}, at(0)) ?? 0)).toBe(maxTimerDelayMs);
	});
});
