import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {causeCodes} from '../../src/core/cause.js';

// doctor's cause codes are a contract: the README's tables name each one a call can get ("Why is my call rejected?")
// and each one a failed mint can get ("Why can't I get a token?").

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** A `## ` section of the README, up to the next. */
const section = (title: string) => {
	const start = readme.indexOf(`## ${title}`);
	return start < 0 ? '' : readme.slice(start, readme.indexOf('\n## ', start + 1));
};
const tabled = (text: string) => [...text.matchAll(/^\| `([a-z-]+)` \|/gm)].map(match => match[1]).sort();
/** The codes of a token that could not be minted (core/mint-causes.ts): not a call's causes. */
const mintingCodes = causeCodes.slice(causeCodes.indexOf('reauth-required'));

describe('the README’s cause codes', () => {
	it('lists every code a refused or accepted call can get under "Why is my call rejected?", and no other', () => {
		const callCodes = causeCodes.filter(code => !mintingCodes.includes(code));
		expect(tabled(section('Why is my call rejected?'))).toEqual([...callCodes].sort());
	});

	it('lists every code a failed mint can get under "Why can\'t I get a token?", and no other', () => {
		expect(tabled(section("Why can't I get a token?"))).toEqual([...mintingCodes].sort());
	});
});
