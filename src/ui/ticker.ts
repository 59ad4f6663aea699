import {useSyncExternalStore} from 'react';

/**
 * One once-a-second clock for the parts of the view that show time (the verdict, which turns to `✗ expired`, and the
 * countdown). Both read the same tick, so React draws them in one render and the view redraws once a second, not
 * twice; the rest of the tree does not re-render. The interval runs only while something listens.
 */
export interface Ticker {
	subscribe(listener: () => void): () => void;
	current(): Date;
}

export function createTicker(now: () => Date, everyMs = 1000): Ticker {
	const listeners = new Set<() => void>();
	let current = now();
	let timer: NodeJS.Timeout | undefined;
	return {
		subscribe(listener) {
			listeners.add(listener);
			if (!timer) {
				current = now();
				timer = setInterval(() => {
					current = now();
					for (const each of listeners) each();
				}, everyMs);
			}
			return () => {
				listeners.delete(listener);
				if (listeners.size === 0) {
					clearInterval(timer);
					timer = undefined;
				}
			};
		},
		current: () => current,
	};
}

export function useNow(ticker: Ticker): Date {
	return useSyncExternalStore(ticker.subscribe, ticker.current);
}
