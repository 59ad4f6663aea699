/**
 * gaxios loads its proxy agent with `(await import('https-proxy-agent')).HttpsProxyAgent`. Split out of the bundle,
 * that CommonJS package becomes a chunk whose only export is `default`, so behind HTTPS_PROXY every request to a
 * real Google host failed with "p is not a constructor". The patch reads the class from either shape. Not a speed
 * patch: test/commands/print-built.test.ts sends a request through a proxy with the built bundle.
 * @type {import('./dependency-patches.mjs').Patch}
 */
const original = "(await import('https-proxy-agent')).HttpsProxyAgent";
const replacement = "(m => m.HttpsProxyAgent ?? m.default.HttpsProxyAgent)(await import('https-proxy-agent'))";
export default {
	name: 'gaxios-proxy-agent',
	// google-auth-library requires gaxios, so the bundle holds its CommonJS build.
	targets: [{package: 'gaxios', version: '8.3.3', file: 'build/cjs/src/gaxios.js', edits: [[original, replacement]]}],
	inBundle: [/\(([\w$]+)=>\1\.HttpsProxyAgent\?\?\1\.default\.HttpsProxyAgent\)\(await import\(/],
};
