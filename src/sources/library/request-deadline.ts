import {AsyncLocalStorage} from 'node:async_hooks';
import {defaultTimeoutMs, withDeadline} from '../../io/deadline.js';

// google-auth-library's requests go through gaxios, not src/io: this is how they get the same one overall deadline.
// The abort signal of the call under way rides in the async context, so every request the call makes (a delegation
// chain's hops, STS then IAM) picks it up in the interceptor clients.ts installs, whichever client makes it.

interface CallUnderWay {
	signal: AbortSignal;
	/** What the call waits on that is not a server (a credential file's executable): the deadline's sentence names it. */
	waitingOn?: string;
}

const currentCall = new AsyncLocalStorage<CallUnderWay>();

/** The most a token endpoint's, IAM's or STS's answer may hold: a token answer is a few KiB. */
export const maxLibraryResponseBytes = 1_048_576;

/** The signal of the library call under way, if any: the interceptor adds it to every request that call makes. */
export function requestSignal(): AbortSignal | undefined {
	return currentCall.getStore()?.signal;
}

/** Runs `work` while the call under way waits on `what`: if its deadline passes meanwhile, the sentence names `what`. */
export async function waitingOn<T>(what: string, work: () => Promise<T>): Promise<T> {
	const call = currentCall.getStore();
	if (call) call.waitingOn = what;
	try {
		return await work();
	} finally {
		if (call) call.waitingOn = undefined;
	}
}

/**
 * Runs a library call within one overall deadline; when it passes, every request the call still has on the wire is
 * aborted (its socket closed), so a stalled or endless server is cut off rather than left to run (and retried) behind
 * an error already shown.
 */
export async function underDeadline<T>(work: () => Promise<T>, what: string, timeoutMs = defaultTimeoutMs): Promise<T> {
	const controller = new AbortController();
	const call: CallUnderWay = {signal: controller.signal};
	const late = (within: string) =>
		call.waitingOn ? `${call.waitingOn} did not finish ${within}, so it was stopped.` : `${what} did not answer ${within}.`;
	try {
		return await withDeadline(currentCall.run(call, work), timeoutMs, late);
	} finally {
		// Also after success: a request the library left behind (a retry racing the answer) has nothing left to do.
		controller.abort();
	}
}
