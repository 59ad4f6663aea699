import {execFile} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {applyTarget, PatchError, patches, type Patch} from '../../scripts/patches/index.mjs';

// The build edits a few dependencies (scripts/patches): each edit must be in the bundle users run, and an edit whose
// dependency changed under it must stop the build with a sentence naming the patch, the package and both versions.

const run = promisify(execFile);
let dir: string;
let bundle: string;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tokscope-patches-'));
	await run(process.execPath, [resolve('scripts/build.mjs'), '--outdir', join(dir, 'dist')], {timeout: 60_000});
	const files = (await readdir(join(dir, 'dist'))).filter(file => file.endsWith('.js'));
	bundle = (await Promise.all(files.map(file => readFile(join(dir, 'dist', file), 'utf8')))).join('\n');
}, 90_000);

afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

const matches = (pattern: RegExp) => bundle.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

describe('the bundle users run', () => {
	it.each(patches.map(patch => [patch.name, patch] as const))('holds every edit of %s', (_, patch) => {
		// A pattern listed n times (one per edited file) must be found at least n times.
		for (const pattern of new Set(patch.inBundle.map(pattern => pattern.source))) {
			const wanted = patch.inBundle.filter(other => other.source === pattern).length;
			expect({pattern, found: Math.min(matches(new RegExp(pattern)), wanted)}).toEqual({pattern, found: wanted});
		}
		for (const pattern of patch.notInBundle ?? []) {
			expect({pattern: pattern.source, found: matches(pattern)}).toEqual({pattern: pattern.source, found: 0});
		}
	});
});

describe('a patch whose dependency changed', () => {
	const patch: Patch = {
		name: 'ink-output-caches',
		targets: [{package: 'ink', version: '8.0.0', file: 'build/output.js', edits: [['caches = new OutputCaches();', 'caches = shared();']]}],
		inBundle: [],
	};
	const [target] = patch.targets;

	it('edits the source it was written for', () => {
		expect(applyTarget(patch, target!, 'class Output { caches = new OutputCaches(); }', '8.0.0')).toBe(
			'class Output { caches = shared(); }',
		);
	});

	it('fails with one sentence naming the patch, the package, the version it was written for and the version found', () => {
		const changed = 'class Output { caches = new TextCaches(); }';
		expect(() => applyTarget(patch, target!, changed, '8.1.0')).toThrow(PatchError);
		expect(() => applyTarget(patch, target!, changed, '8.1.0')).toThrow(
			'Patch ink-output-caches no longer applies to ink: it was written for ink 8.0.0 and found ink 8.1.0, ' +
				'whose build/output.js no longer contains "caches = new OutputCaches();".',
		);
	});

	/** Runs scripts/build.mjs with yoga-without-fetch's file rewritten by `edit` (as if yoga-layout had changed under it). */
	async function buildWithYogaPatch(edit: [string, string]): Promise<{code?: number; stderr?: string}> {
		const hook = join(dir, 'changed-dependency.mjs');
		await writeFile(
			hook,
			[
				"import {registerHooks} from 'node:module';",
				'registerHooks({load(url, context, next) {',
				'	const result = next(url, context);',
				"	if (!url.endsWith('/scripts/patches/yoga-without-fetch.mjs')) return result;",
				'	const source = String(result.source).replace("\'3.2.1\'", "\'3.1.0\'");',
				`	return {...result, source: source.replace(${JSON.stringify(edit[0])}, ${JSON.stringify(edit[1])})};`,
				'}});',
			].join('\n'),
		);
		const args = ['--import', hook, resolve('scripts/build.mjs'), '--outdir', join(dir, 'failed')];
		return run(process.execPath, args, {timeout: 60_000}).then(
			() => ({}),
			(error: {code: number; stderr: string}) => error,
		);
	}

	it('stops the build with that sentence', async () => {
		const {code, stderr} = await buildWithYogaPatch([`'"function"!=typeof fetch'`, `'typeof fetch>""'`]);
		expect(code).toBe(1);
		expect(stderr).toContain(
			'Patch yoga-without-fetch no longer applies to yoga-layout: it was written for yoga-layout 3.1.0 and found yoga-layout 3.2.1, ' +
				'whose dist/binaries/yoga-wasm-base64-esm.js no longer contains "typeof fetch>\\"\\"".',
		);
	}, 60_000);

	it('stops the build when the file it edits is no longer in the bundle', async () => {
		const {code, stderr} = await buildWithYogaPatch(['yoga-wasm-base64-esm.js', 'yoga-wasm-renamed.js']);
		expect(code).toBe(1);
		expect(stderr).toContain(
			'Patch yoga-without-fetch no longer applies to yoga-layout: it was written for yoga-layout 3.1.0 and found yoga-layout 3.2.1, ' +
				'whose dist/binaries/yoga-wasm-renamed.js is no longer in the bundle.',
		);
	}, 60_000);
});
