import {useCallback, useRef, useState} from 'react';
import {formatError} from '../../core/errors.js';
import {audienceUrl, urlProblem, type TryItState} from '../panels/try-it.js';
import type {LiveServices} from '../services.js';
import type {TokenSession} from '../../session/driver.js';
import type {TokenType} from '../../core/types.js';
import {withToken} from '../../session/state.js';

/**
 * "Try it": which URL to call with which token, the call (doctor's diagnosis, handed in), and its answer. The token is
 * read from the session when the call is made, so "again" after a refresh sends the new one; a late answer to an
 * older call (or to a closed pane) is dropped.
 */
export function useTryIt(session: TokenSession, tryIt: LiveServices['tryIt']) {
	const [state, setState] = useState<TryItState>({status: 'idle'});
	const lastUrl = useRef<string | undefined>(undefined);
	const latest = useRef(0);
	const {audience} = session.request;

	const call = useCallback(
		(type: TokenType, url: string, probe: boolean) => {
			const token = withToken(session.getState().slots[type])?.raw.token;
			if (!tryIt || !token) return;
			const id = ++latest.current;
			lastUrl.current = url;
			setState({status: 'calling', type, url, probe});
			// The source mints --probe's ID tokens; a pasted token has none to mint with.
			const source = session.getState().refreshes ? session.source : undefined;
			tryIt({url, token, source, audience: type === 'id' ? audience : undefined, probe}).then(
				report => id === latest.current && setState({status: 'answered', type, url, probe, report}),
				(error: unknown) => id === latest.current && setState({status: 'failed', type, url, probe, error: formatError(error).message}),
			);
		},
		[session, tryIt, audience],
	);

	/** x: an ID token goes to its audience when that is a URL; otherwise (and for the access token) the URL is asked. */
	const start = useCallback(
		(type: TokenType) => {
			const url = type === 'id' ? audienceUrl(audience) : undefined;
			if (url) call(type, url, false);
			else {
				const why = type === 'id' ? 'audience-not-url' : 'no-audience';
				setState({status: 'asking', type, why, prefill: lastUrl.current ?? audienceUrl(audience) ?? ''});
			}
		},
		[call, audience],
	);

	const submitUrl = useCallback(
		(typed: string) => {
			if (state.status !== 'asking') return;
			// The line holds what is called: the prefilled URL unless the user changed or cleared it.
			const url = typed.trim();
			const problem = urlProblem(url);
			if (problem) setState({...state, problem});
			else call(state.type, url, false);
		},
		[state, call],
	);

	const settled = state.status === 'answered' || state.status === 'failed' ? state : undefined;
	return {
		state,
		start,
		submitUrl,
		again: () => settled && call(settled.type, settled.url, settled.probe),
		probe: () => settled?.type === 'id' && call(settled.type, settled.url, true),
		askUrl: () => settled && setState({status: 'asking', type: settled.type, why: 'another', prefill: settled.url}),
		close: () => {
			latest.current++;
			setState({status: 'idle'});
		},
	};
}
