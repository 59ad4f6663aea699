// The machinery behind scripts/patches/*.mjs: each patch edits a dependency's file by exact strings, for the one
// version of that dependency it was written against. When an edit no longer finds its original text (or the file is
// no longer in the bundle), the build fails with one sentence: a silent miss would ship a slower or broken tool.
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';

/**
 * @typedef {object} Target one file of one dependency, as the patch found it in `version`
 * @property {string} package  the dependency's name, as in node_modules
 * @property {string} version  the exact version the edits were written for
 * @property {string} file  the file inside the package, with forward slashes
 * @property {[string, string][]} edits  [original, replacement]: every occurrence of original is replaced; each must occur
 * @property {string} [prepend]  text put before the edited file
 * @property {string} [append]  text put after it
 *
 * @typedef {object} Patch
 * @property {string} name  the file's name under scripts/patches, without .mjs
 * @property {Target[]} targets
 * @property {RegExp[]} inBundle  what the edits look like in the minified bundle (test/build checks each is there)
 * @property {RegExp[]} [notInBundle]  what the unedited code looks like there (each must be gone)
 */

/** The build fails with this: `message` is the sentence printed. */
export class PatchError extends Error {}

/** The version of `target.package` that holds `path` (a file inside it), from that package's own package.json. */
export async function versionFound(path, target) {
	const marker = `node_modules/${target.package}/`;
	const at = path.replaceAll('\\', '/').lastIndexOf(marker);
	if (at < 0) return 'unknown';
	return JSON.parse(await readFile(join(path.slice(0, at + marker.length), 'package.json'), 'utf8')).version;
}

const missSentence = (patch, target, found, what) =>
	`Patch ${patch.name} no longer applies to ${target.package}: it was written for ${target.package} ${target.version} and found ` +
	`${target.package} ${found}, whose ${target.file} ${what}.`;

/** The edited source of one target file; throws a PatchError naming the patch, the package and both versions on a miss. */
export function applyTarget(patch, target, source, found) {
	const missing = target.edits.find(([original]) => !source.includes(original));
	if (missing) throw new PatchError(missSentence(patch, target, found, `no longer contains ${JSON.stringify(missing[0])}`));
	const edited = target.edits.reduce((text, [original, replacement]) => text.replaceAll(original, replacement), source);
	return (target.prepend ?? '') + edited + (target.append ?? '');
}

const escape = text => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anySeparator = path => escape(path).replaceAll('/', '[\\\\/]');
const pathPattern = target => new RegExp(`${anySeparator(`node_modules/${target.package}/${target.file}`)}$`);

/** One esbuild plugin applying every patch; several patches may edit the same file (in the order given). */
export function dependencyPatches(patches) {
	const all = patches.flatMap(patch => patch.targets.map(target => ({patch, target, pattern: pathPattern(target)})));
	return {
		name: 'dependency-patches',
		setup(build) {
			const applied = new Set();
			build.onStart(() => applied.clear());
			build.onLoad({filter: new RegExp(all.map(({pattern}) => pattern.source).join('|'))}, async args => {
				let contents = await readFile(args.path, 'utf8');
				try {
					for (const entry of all.filter(({pattern}) => pattern.test(args.path))) {
						contents = applyTarget(entry.patch, entry.target, contents, await versionFound(args.path, entry.target));
						applied.add(entry);
					}
				} catch (error) {
					if (error instanceof PatchError) return {errors: [{text: error.message}]};
					throw error;
				}
				return {contents, loader: 'js'};
			});
			// A file renamed or moved in a new version is never loaded: that is a miss too.
			build.onEnd(async result => {
				if (result.errors.length > 0) return undefined;
				const unapplied = all.filter(entry => !applied.has(entry));
				const root = build.initialOptions.absWorkingDir ?? process.cwd();
				const errors = await Promise.all(
					unapplied.map(async ({patch, target}) => {
						const found = await packageVersion(root, target.package);
						return {text: missSentence(patch, target, found, 'is no longer in the bundle')};
					}),
				);
				return {errors};
			});
		},
	};
}

async function packageVersion(root, name) {
	try {
		return JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
	} catch {
		return 'none installed';
	}
}
