import {constants} from 'node:fs';
import {access} from 'node:fs/promises';
import {delimiter, join} from 'node:path';

// What each catalog entry's `detect` is made of: one short line for the picker on what is there right now, each
// bounded on its own, so a detection that hangs (a stalled metadata server, a FIFO named as a key) blocks no other.

/** How long the picker waits for any one detection: the metadata probe's 1.5 s, and some room. */
export const detectionDeadlineMs = 2500;

/** What a detection says when its deadline passed. */
export const notInTime = 'did not answer in time';

/** A detection's answer, or `fallback` once its deadline passes. */
export function within<T>(work: Promise<T>, fallback: T, ms = detectionDeadlineMs): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<T>(resolve => {
		timer = setTimeout(() => resolve(fallback), ms);
		timer.unref();
	});
	return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The `type` of the credential file $GOOGLE_APPLICATION_CREDENTIALS names; undefined when it names none. */
export async function credentialsFileType(env: NodeJS.ProcessEnv): Promise<string | undefined> {
	const path = env.GOOGLE_APPLICATION_CREDENTIALS;
	if (!path) return undefined;
	const {readCredentialFile} = await import('./credential-file.js');
	return within(
		readCredentialFile(path).then(
			file => file.type,
			() => 'unreadable',
		),
		'unreadable',
	);
}

export async function findOnPath(command: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
	for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
		const candidate = join(dir, command);
		if (
			await access(candidate, constants.X_OK).then(
				() => true,
				() => false,
			)
		)
			return candidate;
	}
	return undefined;
}
