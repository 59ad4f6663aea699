import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';

// An npm registry on 127.0.0.1 that serves the packages of the project's package-lock.json from the npm cache the
// project's own `npm ci` filled, so a test can install the packed tarball as a user would, through a registry,
// without any network. (npm's own --offline cannot do it: to install a package that is not in a lockfile, npm asks for
// each dependency's full registry document, and `npm ci` only ever caches the abbreviated one.)

interface LockEntry {
	name?: string;
	version: string;
	integrity?: string;
	dev?: boolean;
	link?: boolean;
	[field: string]: unknown;
}

export interface LocalRegistry {
	url: string;
	close(): Promise<void>;
}

/** Where the npm cache keeps a tarball: its content is filed under its own integrity hash. */
function cachedTarball(cache: string, integrity: string): string {
	const [algorithm = '', digest = ''] = integrity.split(/-(.*)/s);
	const hex = Buffer.from(digest, 'base64').toString('hex');
	return join(cache, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

const run = promisify(execFile);

/** The npm cache directory, as npm itself resolves it. */
export async function npmCache(env: NodeJS.ProcessEnv): Promise<string> {
	return (await run('npm', ['config', 'get', 'cache'], {env})).stdout.trim();
}

/**
 * The packages the project's runtime needs (non-dev lock entries) whose tarballs are not in the cache: an install
 * through the local registry would fail on them, so a test skips, naming them.
 */
export async function missingFromCache(cache: string): Promise<string[]> {
	const lock = JSON.parse(await readFile(resolve('package-lock.json'), 'utf8')) as {packages: Record<string, LockEntry>};
	return Object.entries(lock.packages)
		.filter(([path, entry]) => path !== '' && !entry.dev && !entry.link)
		.filter(([, entry]) => !entry.integrity || !existsSync(cachedTarball(cache, entry.integrity)))
		.map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version}`);
}

const manifestFields = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu'];

export async function startLocalRegistry(cache: string): Promise<LocalRegistry> {
	const lock = JSON.parse(await readFile(resolve('package-lock.json'), 'utf8')) as {packages: Record<string, LockEntry>};
	const versions = new Map<string, Map<string, LockEntry>>();
	for (const [path, entry] of Object.entries(lock.packages)) {
		if (path === '' || entry.link || !entry.integrity) continue;
		const name = entry.name ?? path.replace(/^.*node_modules\//, '');
		if (!versions.has(name)) versions.set(name, new Map());
		versions.get(name)!.set(entry.version, entry);
	}
	const server: Server = createServer((request, response) => {
		void (async () => {
			const url = new URL(request.url ?? '/', 'http://registry');
			const tarball = /^\/-\/tarballs\/([^/]+)\/([^/]+)\.tgz$/.exec(url.pathname);
			if (tarball) {
				const entry = versions.get(decodeURIComponent(tarball[1]!))?.get(decodeURIComponent(tarball[2]!));
				if (!entry?.integrity) return response.writeHead(404).end();
				return response
					.writeHead(200, {'content-type': 'application/octet-stream'})
					.end(await readFile(cachedTarball(cache, entry.integrity)));
			}
			// npm asks for a scoped package as /@scope%2fname.
			const name = decodeURIComponent(url.pathname.slice(1));
			const known = versions.get(name);
			if (!known) return response.writeHead(404, {'content-type': 'application/json'}).end('{"error":"not found"}');
			const base = `http://${request.headers.host}/-/tarballs/${encodeURIComponent(name)}`;
			const document = {
				name,
				'dist-tags': {latest: [...known.keys()].at(-1)},
				versions: Object.fromEntries(
					[...known].map(([version, entry]) => [
						version,
						{
							name,
							version,
							...Object.fromEntries(manifestFields.filter(field => entry[field] !== undefined).map(field => [field, entry[field]])),
							dist: {tarball: `${base}/${encodeURIComponent(version)}.tgz`, integrity: entry.integrity},
						},
					]),
				),
			};
			response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(document));
		})().catch(() => response.writeHead(500).end());
	});
	await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
		close: () => new Promise<void>(done => server.close(() => done())),
	};
}
