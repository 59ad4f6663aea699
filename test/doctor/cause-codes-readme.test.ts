import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {causeCodes} from '../../src/core/cause.js';

// doctor's cause codes are a contract: the README's table under "Why is my call rejected?" names each one a call can get.

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('## Why is my call rejected?');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const minting = section.indexOf("### Why can't I get a token?");
const tabled = (text: string) => [...text.matchAll(/^\| `([a-z-]+)` \|/gm)].map(match => match[1]).sort();
/** The codes of a token that could not be minted (core/mint-causes.ts): not a call's causes. */
const mintingCodes = causeCodes.slice(causeCodes.indexOf('reauth-required'));

describe('the README’s cause codes', () => {
	it('lists every code a refused or accepted call can get, and no other', () => {
		const callCodes = causeCodes.filter(code => !mintingCodes.includes(code));
		expect(tabled(section.slice(0, minting))).toEqual([...callCodes].sort());
	});

	it('lists every code a failed mint can get under "Why can\'t I get a token?", and no other', () => {
		expect(minting).toBeGreaterThan(0);
		expect(tabled(section.slice(minting))).toEqual([...mintingCodes].sort());
	});
});
