// Every edit the build makes to dependencies' code, each in its own file with the version it was written for. A patch
// that no longer applies fails the build (dependency-patches.mjs); test/build/patches.test.ts checks that the bundle
// holds each edit. Kept because `npm run bench` shows each pays (README "Speed"), or, for gaxios, because a proxy
// fails without it.
import gaxiosProxyAgent from './gaxios-proxy-agent.mjs';
import inkOutputCaches from './ink-output-caches.mjs';
import lazySegmenters from './lazy-segmenters.mjs';
import narrowTextFastPaths from './narrow-text-fast-paths.mjs';
import yogaWithoutFetch from './yoga-without-fetch.mjs';

export {builtinsThroughRequire} from './builtins-through-require.mjs';
export {dependencyPatches} from './dependency-patches.mjs';

/** In the order they edit a file: the narrow-text edits come before the segmenters are made lazy. */
export const patches = [yogaWithoutFetch, gaxiosProxyAgent, inkOutputCaches, narrowTextFastPaths, lazySegmenters];
