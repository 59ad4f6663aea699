import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {editLine, lineOf, type Line} from '../../../src/ui/components/line-edit.js';

// The editing keys every text field shares, as a table: the line before, the key, the line after.

const noKey: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};
const press = (line: Line, input: string, key: Partial<Key> = {}) => editLine(line, input, {...noKey, ...key});
/** `|` marks the cursor. */
const at = (marked: string): Line => ({text: marked.replace('|', ''), cursor: [...marked.slice(0, marked.indexOf('|'))].length});
const shown = (line: Line | undefined) =>
	line && `${[...line.text].slice(0, line.cursor).join('')}|${[...line.text].slice(line.cursor).join('')}`;

describe('the editing keys of every text field', () => {
	it.each([
		['ctrl-u clears the whole line', 'http://127.0.0.1:35099|', 'u', {ctrl: true}, '|'],
		['ctrl-k deletes to the end', 'https://a.run.app|/path', 'k', {ctrl: true}, 'https://a.run.app|'],
		['ctrl-w deletes the word before the cursor', 'https://a.run.app/path|', 'w', {ctrl: true}, 'https://a.run.app/|'],
		['ctrl-a goes to the start', 'abc|', 'a', {ctrl: true}, '|abc'],
		['ctrl-e goes to the end', '|abc', 'e', {ctrl: true}, 'abc|'],
		['home and end too', 'a|bc', '', {home: true}, '|abc'],
		['← moves left', 'abc|', '', {leftArrow: true}, 'ab|c'],
		['→ stops at the end', 'abc|', '', {rightArrow: true}, 'abc|'],
		['backspace deletes before the cursor', 'ab|c', '', {backspace: true}, 'a|c'],
		['delete deletes under the cursor', 'ab|c', '', {delete: true}, 'ab|'],
		['text goes in at the cursor', 'https://|.run.app', 'svc', {}, 'https://svc|.run.app'],
		['a character of two code units is one step', 'a😀|', '', {backspace: true}, 'a|'],
	] as const)('%s', (_name, before, input, key, after) => {
		expect(shown(press(at(before), input, key)?.line)).toBe(after);
	});

	it('never types the letter of a ctrl or meta key the field does not use (ctrl-o copies on the sign-in screen)', () => {
		expect(press(lineOf('abc'), 'o', {ctrl: true})).toBeUndefined();
		expect(press(lineOf('abc'), 'x', {meta: true})).toBeUndefined();
	});

	it('leaves esc, tab and ↑/↓ to the screen', () => {
		for (const key of [{escape: true}, {tab: true}, {upArrow: true}, {downArrow: true}])
			expect(press(lineOf('abc'), '', key)).toBeUndefined();
	});

	it('enter submits the line as it stands; a line break typed in the same read is enter after the text', () => {
		expect(press(lineOf('abc'), '\r', {return: true})).toEqual({line: lineOf('abc'), submit: true});
		expect(press(lineOf('ab'), 'c\r')).toEqual({line: lineOf('abc'), submit: true});
	});
});
