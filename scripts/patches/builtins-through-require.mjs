import {builtinModules, createRequire} from 'node:module';

/**
 * Node's own modules through require() rather than ESM import. Importing a builtin as ESM builds its export
 * namespace by reading every export, and node:http's include getters (WebSocket, …) that load all of undici:
 * 20–40 ms on a one-shot command that only wanted http.get. require() reads nothing until used. This edits no
 * dependency's code (it changes how the bundle reaches Node's modules), so it has no version to check.
 * Measured (scripts/bench/compare-builds.mjs): print-access-token 66 → 48 ms (gcloud: 400 ms, so 0.165 → 0.12 ×),
 * and 10 ms of first frame.
 */
export const builtinsThroughRequire = builtinsThroughRequirePlugin({lazy: true});

/** The plugin; `lazy: false` requires every builtin at once (the single executable, which has no load time to save). */
export function builtinsThroughRequirePlugin({lazy}) {
	return {
		name: 'builtins-through-require',
		setup(build) {
			build.onResolve({filter: /^node:|^[a-z_]+(\/[a-z_]+)?$/}, args => {
				const name = args.path.replace(/^node:/, '');
				if (!builtinModules.includes(name) || args.namespace.startsWith('builtin')) return undefined;
				// A dynamic import() becomes a chunk of its own, loaded as an ES module: a CommonJS shim there would
				// export only `default`, and `(await import('node:https')).request` would be undefined.
				return {path: name, namespace: args.kind === 'dynamic-import' ? 'builtin-esm' : 'builtin'};
			});
			build.onLoad({filter: /.*/, namespace: 'builtin'}, async args => ({
				contents: lazy && lazyBuiltins.has(args.path) ? await lazyModule(args.path) : `module.exports = require('node:${args.path}');`,
				loader: 'js',
			}));
			build.onLoad({filter: /.*/, namespace: 'builtin-esm'}, args => ({contents: esmModule(args.path), loader: 'js'}));
		},
	};
}

/**
 * Builtins imported at load time whose import costs more than their use, loaded on first use of a property instead:
 * commander imports node:child_process (with net, dgram and streams, ~6 ms) for subcommands we never run as
 * programs, and node:util, whose namespace copy reads every export and so builds the lazy ones (TextDecoder, diff,
 * parseArgs: ~15 ms before the first frame); node:fs/promises is only used after the first frame. All are plain
 * objects of functions, safe behind a proxy.
 */
const lazyBuiltins = new Set(['child_process', 'util', 'fs/promises']);
const lazyModule = async name => `let real;
const load = () => (real ??= require('node:${name}'));
// Its export names are known at build time, so an ESM import's namespace copy reads them without loading it.
const names = ${JSON.stringify(Object.keys(await import(`node:${name}`)).filter(key => key !== 'default'))};
module.exports = new Proxy({}, {
	get: (_, key) => load()[key],
	has: (_, key) => key in load(),
	ownKeys: () => names,
	getOwnPropertyDescriptor: (_, key) => (names.includes(key) ? {get: () => load()[key], enumerable: true, configurable: true} : undefined),
});`;

/**
 * A builtin as an ES module with its named exports, for dynamic import(). Only plain values are exported by name:
 * reading a getter (node:http's WebSocket, …) would load what it guards at import time.
 */
const esmModule = name => {
	// The module object itself, not an ES namespace (whose properties are all plain values, getters already read).
	const descriptors = Object.getOwnPropertyDescriptors(createRequire(import.meta.url)(`node:${name}`));
	const names = Object.keys(descriptors).filter(key => key !== 'default' && 'value' in descriptors[key] && /^[A-Za-z_$][\w$]*$/.test(key));
	return `const real = require('node:${name}');
export default real;
export const {${names.join(', ')}} = real;`;
};
