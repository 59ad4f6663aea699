import {describe, expect, it} from 'vitest';
import {TokscopeError} from '../../src/core/errors.js';
import {timed, withDeadline} from '../../src/io/deadline.js';

const after = <T>(ms: number, value: T) => new Promise<T>(resolve => setTimeout(() => resolve(value), ms));

describe('withDeadline', () => {
	it('gives the answer when it comes in time', async () => {
		expect(await withDeadline(after(5, 'token'), 1000, 'The server')).toBe('token');
	});

	it('gives up with a sentence naming who did not answer', async () => {
		const error = await withDeadline(after(2000, 'late'), 50, 'The metadata server').catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TokscopeError);
		expect((error as Error).message).toBe('The metadata server did not answer within 0.1 s.');
	});

	it('does not fire at once for a deadline beyond setTimeout’s 24.8 days (it would overflow to 1 ms)', async () => {
		expect(await withDeadline(after(30, 'token'), 1e10, 'The server')).toBe('token');
	});
});

describe('timed', () => {
	it('says how long the work took and when it finished', async () => {
		const {value, latencyMs, fetchedAt} = await timed(() => after(20, 42));
		expect(value).toBe(42);
		expect(latencyMs).toBeGreaterThanOrEqual(15);
		expect(Math.abs(fetchedAt.getTime() - Date.now())).toBeLessThan(1000);
	});
});
