import {describe, expect, it} from 'vitest';
import type {Verification} from '../../../src/core/types.js';
import {Verdict} from '../../../src/ui/components/Verdict.js';
import {createTicker} from '../../../src/ui/ticker.js';
import {render} from '../../support/ink.js';

// The verdict is one line: at every width it says whole words, never a URL cut in two or a stray word of a cut suffix.

/** What the emulator's ID token gets from verification (src/verify/verify.ts), as the demo shows it. */
const emulator: Verification = {
	status: 'valid',
	code: 'verified',
	reason: 'Signature verified with the issuer’s published keys (not Google: http://127.0.0.1:40401) (key 63122cd37345).',
	issuer: 'http://127.0.0.1:40401',
	keyId: '63122cd37345abcdef',
	google: false,
};
const google: Verification = {...emulator, reason: 'Signature verified with Google’s published keys (key 0123456789ab).', google: true};

async function verdictAt(verification: Verification, columns: number, expiresAt: Date | null = null) {
	const ticker = createTicker(() => new Date('2026-11-22T12:00:00Z'));
	const {frame} = await render(<Verdict verification={verification} expiresAt={expiresAt} ticker={ticker} columns={columns} />, {
		columns,
		rows: 3,
	});
	return frame().split('\n')[0]!;
}

describe('the verdict line', () => {
	it('at 120 columns: the whole reason, without repeating the issuer it already names (no stray “is…”)', async () => {
		expect(await verdictAt(emulator, 120)).toBe(
			'✓ valid Signature verified with the issuer’s published keys (not Google: http://127.0.0.1:40401) (key 63122cd37345).',
		);
	});

	it('at 80 columns: the short form, the issuer’s URL whole', async () => {
		expect(await verdictAt(emulator, 80)).toBe('✓ valid signed with the issuer’s keys, not Google’s: http://127.0.0.1:40401');
		expect(await verdictAt(google, 80)).toBe('✓ valid Signature verified with Google’s published keys (key 0123456789ab).');
	});

	it('at 60 columns: cut after a whole word, never inside the URL', async () => {
		const line = await verdictAt(emulator, 60);
		expect(line).toBe('✓ valid signed with the issuer’s keys, not Google’s: …');
	});

	it('an expired token: cut after a whole word too', async () => {
		const line = await verdictAt(google, 60, new Date('2026-11-22T11:59:00Z'));
		expect(line).toBe('✗ expired 1m 00s ago: every verifier rejects it now (its …');
	});
});
