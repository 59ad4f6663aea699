import {Text} from 'ink';
import {describe, expect, it} from 'vitest';
import {fromVisible, terminalSafe} from '../../../src/core/terminal-safe.js';
import {holdsHidden, SafeText, segmentsOf} from '../../../src/ui/components/SafeText.js';
import {render} from '../../support/ink.js';

describe('text with hidden characters', () => {
	it('splits the shown text into plain runs and the escapes standing for hidden characters', () => {
		const issuer = 'https://x\u001b[2J.example\u200b\\u0041';
		const shown = terminalSafe(issuer);
		const segments = segmentsOf(shown);
		expect(segments).toEqual([
			{text: 'https://x', escape: false},
			{text: '\\u001b', escape: true},
			{text: '[2J.example', escape: false},
			{text: '\\u200b', escape: true},
			// A backslash that was in the text is not an escape tokscope wrote.
			{text: '\\\\u0041', escape: false},
		]);
		expect(fromVisible(segments.map(segment => segment.text).join(''))).toBe(issuer);
	});

	it('finds hidden characters in nested claims and their keys', () => {
		expect(holdsHidden({groups: ['ok', 'a\u202eb']})).toBe(true);
		expect(holdsHidden({['k\u200b']: 1})).toBe(true);
		expect(holdsHidden({groups: ['ok'], n: 1})).toBe(false);
	});

	it('draws the escapes instead of the characters, so nothing reaches the terminal raw', async () => {
		const {frame, unmount} = await render(
			<Text>
				<SafeText text={'a\u001b[2Jb\u200bc'} />
			</Text>,
		);
		expect(frame()).toContain('a\\u001b[2Jb\\u200bc');
		expect(frame()).not.toContain('\u001b[2J');
		expect(frame()).not.toContain('\u200b');
		await unmount();
	});
});
