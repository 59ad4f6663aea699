// Every edit the build makes to dependencies' code, each in its own file with the version it was written for. A patch
// that no longer applies fails the build (dependency-patches.mjs); test/build/patches.test.ts checks that the bundle
// holds each edit. Each is kept because `npm run bench` shows it pays (README "Speed"), or, for gaxios, because a
// proxy fails without it. Ink's text caches kept across frames went: the bench found no difference at rest or on `r`.
import gaxiosProxyAgent from './gaxios-proxy-agent.mjs';
import lazySegmenters from './lazy-segmenters.mjs';
import narrowTextFastPaths from './narrow-text-fast-paths.mjs';
import yogaWithoutFetch from './yoga-without-fetch.mjs';

export {applyTarget, dependencyPatches, PatchError} from './dependency-patches.mjs';

/** In the order they edit a file: the narrow-text edits come before the segmenters are made lazy. */
export const patches = [yogaWithoutFetch, gaxiosProxyAgent, narrowTextFastPaths, lazySegmenters];
