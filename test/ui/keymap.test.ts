import {describe, expect, it} from 'vitest';
import {footerEntries, keysFor, liveCommandFor, liveKeys, splitKeys} from '../../src/ui/keymap.js';

const plain = {upArrow: false, downArrow: false, tab: false} as Parameters<typeof liveCommandFor>[1];

describe('the keymap', () => {
	it('keeps ? and q on the footer at every width from 60 columns, and as many others as fit', () => {
		for (const columns of [60, 61, 70, 80, 100, 200]) {
			for (const context of [
				{refreshes: true, demo: true},
				{refreshes: false, demo: false},
			]) {
				const entries = footerEntries(context, columns);
				const text = entries.map(entry => `${entry.key} ${entry.hint} `).join('');
				expect(text.length).toBeLessThanOrEqual(columns);
				expect(text).toMatch(/\? help q quit $/);
			}
		}
		expect(footerEntries({refreshes: true, demo: false, tryIt: true}, 200)).toHaveLength(
			liveKeys.filter(key => 'hint' in key && !('when' in key && key.command.match(/break|heal/))).length,
		);
	});

	it('offers a pasted token no refresh, auto-refresh or tab, and the break menu only in the demo', () => {
		const pasted = keysFor({refreshes: false, demo: false}).map(entry => entry.command);
		expect(pasted).not.toContain('refresh');
		expect(pasted).not.toContain('toggleAuto');
		expect(pasted).not.toContain('switchType');
		expect(pasted).not.toContain('breakIt');
		expect(liveCommandFor('r', plain, {refreshes: false, demo: false})).toBeUndefined();
		expect(liveCommandFor('b', plain, {refreshes: true, demo: true})).toBe('breakIt');
		// Try it calls a service: only offered when the app handed the view a way to.
		expect(liveCommandFor('x', plain, {refreshes: true, demo: false})).toBeUndefined();
		expect(liveCommandFor('x', plain, {refreshes: false, demo: false, tryIt: true})).toBe('tryIt');
		expect(keysFor({refreshes: true, demo: false, tryIt: true}).map(entry => entry.key)).toContain('x');
		expect(liveCommandFor('', {...plain, tab: true}, {refreshes: true, demo: false})).toBe('switchType');
	});

	it('splits keys that came in one read, but not escape sequences or pasted text', () => {
		expect(splitKeys('s3')).toEqual(['s', '3']);
		expect(splitKeys('\u001B[A')).toEqual(['\u001B[A']);
		expect(splitKeys('x'.repeat(20))).toHaveLength(1);
	});
});
