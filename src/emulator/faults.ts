import type {IncomingMessage, ServerResponse} from 'node:http';
import {sendJson} from './http.js';

/** A failure the emulator plays instead of answering, for tests and the demo. */
export interface Fault {
	/** Answer with this status (and `body`, or a Google-style error body). */
	status?: number;
	body?: unknown;
	/** Wait this long before answering (or before failing). */
	delayMs?: number;
	/** Destroy the connection without an answer. */
	drop?: boolean;
	/** Never answer: the connection stays open until the client gives up or the emulator closes. */
	stall?: boolean;
	/** Only the next N matching requests fail; afterwards the fault clears itself. */
	times?: number;
}

export class Faults {
	readonly #byMatch = new Map<string, Fault>();
	readonly #stalled = new Set<ServerResponse>();
	readonly #timers = new Set<NodeJS.Timeout>();

	set(match: string, fault: Fault | null): void {
		if (fault) this.#byMatch.set(match, {...fault});
		else this.#byMatch.delete(match);
	}

	clear(): void {
		this.#byMatch.clear();
	}

	/** Plays the fault matching this request, if any. Returns true when the request was handled (or swallowed). */
	async play(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
		const path = request.url ?? '/';
		const entry = [...this.#byMatch.entries()].find(([match]) => path.includes(match));
		if (!entry) return false;
		const [match, fault] = entry;
		if (fault.times !== undefined) {
			fault.times -= 1;
			if (fault.times <= 0) this.#byMatch.delete(match);
		}
		if (fault.delayMs) await this.#sleep(fault.delayMs);
		if (fault.stall) {
			this.#stalled.add(response);
			response.on('close', () => this.#stalled.delete(response));
			return true;
		}
		if (fault.drop) {
			request.socket.destroy();
			return true;
		}
		if (fault.status) {
			sendJson(response, fault.status, fault.body ?? {error: {code: fault.status, message: `Injected fault for ${match}.`, status: 'INJECTED'}});
			return true;
		}
		return false; // a pure delay: answer normally afterwards
	}

	/** Ends stalled requests and pending delays so the server can close. */
	release(): void {
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
		for (const response of this.#stalled) response.destroy();
		this.#stalled.clear();
	}

	#sleep(ms: number): Promise<void> {
		return new Promise(resolve => {
			const timer = setTimeout(() => {
				this.#timers.delete(timer);
				resolve();
			}, ms);
			this.#timers.add(timer);
		});
	}
}
