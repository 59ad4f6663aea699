import {useEffect, useMemo, useSyncExternalStore} from 'react';
import type {TokenSession} from '../session/driver.js';
import type {SessionState} from '../session/state.js';

/** One session for as long as the component lives (or until `create` changes): started on mount, stopped on unmount. */
export function useTokenSession(create: () => TokenSession): TokenSession {
	const session = useMemo(() => create(), [create]);
	useEffect(() => {
		void session.start();
		return () => session.dispose();
	}, [session]);
	return session;
}

/** The session's state, redrawn on each change (each action is one state, so one redraw). */
export function useSessionState(session: TokenSession): SessionState {
	return useSyncExternalStore(session.subscribe, session.getState);
}
