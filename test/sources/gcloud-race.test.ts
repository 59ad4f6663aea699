import {chmod, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createSource} from '../../src/sources/index.js';

// Seen once: "gcloud has no active account" while `gcloud auth list` showed one. On a VM whose account is the
// metadata server's, gcloud learns it is on GCE from a cache file in its config directory, refreshed every 10 minutes by
// truncating and rewriting it (googlecloudsdk/core/credentials/gce_cache.py, _WriteDisk through files.WriteFileContents,
// which opens the file for writing first). A second gcloud started meanwhile reads it empty, decides it is not on GCE,
// and has no account. tokscope started two gclouds at once (describe's account and the first token). This stand-in
// gcloud plays that cache, holding it empty until another gcloud has read it (at most 1.5 s), so the race always happens
// when two run together, and never when they run one after the other.

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tokscope-gcloud-race-'));
	await writeFile(
		join(dir, 'gcloud'),
		`#!/bin/sh
state="$CLOUDSDK_CONFIG"
if mkdir "$state/refreshing" 2>/dev/null; then
	: > "$state/gce"
	i=0
	while [ ! -e "$state/read-empty" ] && [ $i -lt 15 ]; do sleep 0.1; i=$((i + 1)); done
	printf True > "$state/gce"
fi
if [ "$(cat "$state/gce" 2>/dev/null)" != True ]; then
	touch "$state/read-empty"
	echo 'ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected.' >&2
	exit 1
fi
case "$1 $2" in
	"config get-value") echo 'vm-default@my-proj.iam.gserviceaccount.com' ;;
	"auth print-access-token") echo 'ya29.a0-from-the-metadata-server' ;;
esac
`,
	);
	await chmod(join(dir, 'gcloud'), 0o755);
});
afterAll(() => rm(dir, {recursive: true, force: true}));

describe('the gcloud source and gcloud’s own state', () => {
	it('runs one gcloud at a time, so a describe beside the first token cannot make gcloud lose its account', async () => {
		const config = await mkdtemp(join(dir, 'config-'));
		const source = createSource({source: 'gcloud', env: {PATH: `${dir}:/usr/bin:/bin`, CLOUDSDK_CONFIG: config}});
		// As the live view asks: who, and the first token, together.
		const [described, token] = await Promise.all([source.describe(), source.accessToken()]);
		expect(token.token).toBe('ya29.a0-from-the-metadata-server');
		expect(described.principal).toBe('vm-default@my-proj.iam.gserviceaccount.com');
	});
});
