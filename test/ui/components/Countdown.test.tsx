import {describe, expect, it} from 'vitest';
import {Countdown} from '../../../src/ui/components/Countdown.js';
import {createTicker} from '../../../src/ui/ticker.js';
import {render} from '../../support/ink.js';

// The lifetime line ends on the line at any width: the bar gives way to the words.

const now = new Date('2026-11-22T12:00:00Z');

describe('the lifetime line', () => {
	it.each([60, 80])(
		'at %i columns, a stale token expired 10 minutes ago still ends on the line with its share used and STALE',
		async columns => {
			const ticker = createTicker(() => now);
			const {frame} = await render(
				<Countdown
					issuedAt={new Date(now.getTime() - 660_000)}
					expiresAt={new Date(now.getTime() - 600_000)}
					ticker={ticker}
					width={columns}
					stale
					next={{note: 'refresh failed (below)', meaning: 'error'}}
				/>,
				{columns, rows: 4},
			);
			const line = frame().split('\n')[0]!;
			expect(line).toMatch(/^expired 10m 00s ago █+ 100% used STALE$/);
		},
	);
});
