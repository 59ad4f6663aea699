import {TokscopeError} from '../core/errors.js';
import {sourceCatalog, sourceEntry} from './catalog.js';
import {detectionDeadlineMs, notInTime, within} from './detect.js';
import type {SourceBody, SourceId, SourceOptions, TokenSource} from './types.js';

// Every source module is imported on first use (each catalog entry's create): a metadata grab never loads the
// key-file, federation or gcloud code, and the TUI draws its first frame before google-auth-library is read at all.

export {sourceIds, type SourceId, type SourceOptions, type TokenSource} from './types.js';
export {sourceCatalog, sourceEntry, type SourceEntry} from './catalog.js';
export {detectionDeadlineMs} from './detect.js';

/**
 * Builds the source the user picked, from its catalog entry; nothing is read or fetched until it is first asked.
 * A failed build (a missing file, an absent server) is tried again on the next call, so a fix is picked up.
 */
export function createSource(options: SourceOptions): TokenSource {
	const entry = sourceEntry(options.source);
	let built: Promise<SourceBody> | undefined;
	const body = () =>
		(built ??= entry.create(options).catch((error: unknown) => {
			built = undefined;
			throw error;
		}));
	return {
		id: entry.id,
		label: entry.label,
		describe: async () => (await body()).describe(),
		accessToken: async request => {
			const built = await body();
			if (request?.subject && !built.delegates) {
				throw new TokscopeError(
					'cannot-mint',
					`Domain-wide delegation (--subject) is a service account acting as a Workspace user: the ${entry.id} source has no ` +
						'service account to do it with; use its key (--key-file) or impersonate it (--impersonate-service-account).',
				);
			}
			return built.accessToken(request);
		},
		idToken: async request => (await body()).idToken(request),
	};
}

/** One short line per source on what is there right now, for the picker: each catalog entry's detection, each on its own. */
export async function detectSources(env: NodeJS.ProcessEnv = process.env): Promise<Record<SourceId, string>> {
	const lines = await Promise.all(
		sourceCatalog.map(async entry => {
			// Each detection keeps its own deadline; this one is only the net under an entry that forgot to.
			const line = await within(
				entry.detect(env).catch(() => 'could not be checked'),
				notInTime,
				detectionDeadlineMs + 500,
			);
			return [entry.id, line] as const;
		}),
	);
	return Object.fromEntries(lines) as Record<SourceId, string>;
}
