import {describe, expect, it} from 'vitest';
import {drift, figure} from '../../scripts/readme-facts.mjs';

// The rule npm-package.test.ts holds the README's Install paragraph to: two significant figures in npm's units.

const facts = {tarball: 381_905, unpacked: 1_141_540, installed: 3_375_940, packages: 52};
const paragraph = (tarball: string, unpacked: string, installed: string, packages: number) =>
	`The tarball is ${tarball} (${unpacked} unpacked) and an install ${installed}\nof files … that is ${packages} packages.`;

describe('the README’s package figures', () => {
	it('are npm’s units to two significant figures', () => {
		expect([figure(381_905), figure(1_141_540), figure(3_375_940), figure(99_960), figure(5_790_000)]).toEqual([
			'380 kB',
			'1.1 MB',
			'3.4 MB',
			'100 kB',
			'5.8 MB',
		]);
	});

	it('agree within rounding, and otherwise say which figure and the sentence to write', () => {
		expect(drift(facts, paragraph('380 kB', '1.1 MB', '3.4 MB', 52))).toEqual([]);
		expect(drift({...facts, tarball: 384_999}, paragraph('380 kB', '1.1 MB', '3.4 MB', 52))).toEqual([]);
		expect(drift(facts, paragraph('318 kB', '961 kB', '3.4 MB', 51))).toEqual([
			expect.stringMatching(/^The README says 318 kB tarball, measured 380 kB: "The tarball is 380 kB \(1\.1 MB unpacked\)/),
			expect.stringMatching(/^The README says 961 kB unpacked, measured 1\.1 MB/),
			expect.stringMatching(/^The README says 51 packages, measured 52/),
		]);
		expect(drift(facts, 'no such paragraph')).toEqual([expect.stringMatching(/^The README has no sentence like/)]);
	});
});
