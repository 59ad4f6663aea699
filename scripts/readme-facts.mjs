// The figures the README states about the npm package (its Install section), measured rather than remembered:
// test/install/npm-package.test.ts packs and installs the package anyway, hands its numbers to `measureInstall`, and
// fails with the sentence to paste when the README says otherwise (`drift`). Sizes are npm's units (1 kB = 1000 bytes,
// as `npm pack` prints them) to two significant figures, so a few bytes more do not make the README wrong.
import {readdir, stat} from 'node:fs/promises';
import {join} from 'node:path';

/** The tarball's and the unpacked package's sizes (from `npm pack --json`) and what an install of it holds. */
export async function measureInstall({tarballBytes, unpackedBytes, installedDir}) {
	return {
		tarball: tarballBytes,
		unpacked: unpackedBytes,
		installed: await bytesUnder(installedDir),
		// tokscope and every package installed with it.
		packages: 1 + (await packagesUnder(join(installedDir, 'node_modules'))),
	};
}

/** `380 kB`, `1.1 MB`: two significant figures in npm's units. */
export function figure(bytes) {
	const [unit, size] = bytes >= 1e6 ? ['MB', 1e6] : ['kB', 1e3];
	return `${Number((bytes / size).toPrecision(2))} ${unit}`;
}

/** The README's sentence, as the measured facts make it. */
export function installSentence(facts) {
	return (
		`The tarball is ${figure(facts.tarball)} (${figure(facts.unpacked)} unpacked) and an install ${figure(facts.installed)}` +
		` … that is ${facts.packages} packages`
	);
}

const stated = /The tarball is ([\d.]+ [kM]B) \(([\d.]+ [kM]B) unpacked\) and an install\s+([\d.]+ [kM]B)[\s\S]*?that is (\d+)\s+packages/;

/** What the README says against what was measured: one sentence per figure that differs, none when all agree. */
export function drift(facts, readme) {
	const found = stated.exec(readme);
	if (!found) return [`The README has no sentence like "${installSentence(facts)}".`];
	const [, tarball, unpacked, installed, packages] = found;
	const pairs = [
		['tarball', tarball, figure(facts.tarball)],
		['unpacked', unpacked, figure(facts.unpacked)],
		['installed', installed, figure(facts.installed)],
		['packages', packages, String(facts.packages)],
	];
	return pairs
		.filter(([, said, measured]) => said !== measured)
		.map(([what, said, measured]) => `The README says ${said} ${what}, measured ${measured}: "${installSentence(facts)}".`);
}

async function bytesUnder(dir) {
	let total = 0;
	for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
		if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
	}
	return total;
}

/** Packages in a node_modules tree: each `name/` or `@scope/name/` holding a package.json, nested ones too. */
async function packagesUnder(modules) {
	const entries = await readdir(modules, {withFileTypes: true}).catch(() => []);
	let count = 0;
	for (const entry of entries.filter(each => each.isDirectory() && !each.name.startsWith('.'))) {
		const dirs = entry.name.startsWith('@')
			? (await readdir(join(modules, entry.name), {withFileTypes: true}))
					.filter(each => each.isDirectory())
					.map(each => join(modules, entry.name, each.name))
			: [join(modules, entry.name)];
		for (const dir of dirs) {
			if (await stat(join(dir, 'package.json')).catch(() => undefined)) count++;
			count += await packagesUnder(join(dir, 'node_modules'));
		}
	}
	return count;
}
