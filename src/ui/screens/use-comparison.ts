import {useCallback, useMemo, useRef, useState} from 'react';
import {formatError} from '../../core/errors.js';
import type {TokenType} from '../../core/types.js';
import type {CompareCalls, CompareTargets, TargetName} from '../panels/compare.js';
import type {TokenInfoState} from '../panels/details.js';
import {audienceUrl} from '../panels/try-it.js';
import type {LiveServices} from '../services.js';
import type {TokenSession} from '../../session/driver.js';
import {withToken} from '../../session/state.js';

/**
 * The comparison's effects: both tokens fetched when it opens, tokeninfo asked on `t`, and on `x` each token sent to
 * each target through doctor's diagnosis (the same service as try it). Tokens are read from the session when the key
 * is pressed; answers to an older round (before the pane opened again) are dropped.
 */
export function useComparison(session: TokenSession, services: LiveServices) {
	const [tokenInfo, setTokenInfo] = useState<TokenInfoState>({status: 'idle'});
	const [calls, setCalls] = useState<CompareCalls>({});
	const round = useRef(0);
	const {tryIt, tokenInfo: lookUp} = services;
	// Outside the demo the service is the ID token's audience, when that is a URL.
	const given = services.compareTargets;
	const {audience} = session.request;
	const targets = useMemo<CompareTargets>(
		() => ({service: given?.service ?? serviceOf(audience), googleApi: given?.googleApi}),
		[given, audience],
	);

	const open = useCallback(() => {
		round.current++;
		setCalls({});
		const state = session.getState();
		if (!state.refreshes) return;
		for (const type of ['id', 'access'] as const) {
			if (state.slots[type].status === 'idle') void session.refresh(type, 'initial');
		}
	}, [session]);

	const askTokenInfo = useCallback(() => {
		const token = withToken(session.getState().slots.access)?.raw.token;
		if (!lookUp || !token) return;
		setTokenInfo({status: 'asking', token});
		lookUp(token).then(
			info => setTokenInfo({status: 'answered', token, info}),
			(error: unknown) => setTokenInfo({status: 'failed', token, error: formatError(error).message}),
		);
	}, [session, lookUp]);

	const callAll = useCallback(() => {
		if (!tryIt) return;
		const current = ++round.current;
		const {slots} = session.getState();
		const started: CompareCalls = {};
		for (const name of ['service', 'googleApi'] as const satisfies TargetName[]) {
			const target = targets[name];
			if (!target) continue;
			for (const type of ['id', 'access'] as const satisfies TokenType[]) {
				const token = withToken(slots[type])?.raw.token;
				if (!token) continue;
				const key = `${name} ${type}` as const;
				started[key] = {status: 'calling'};
				tryIt({url: target.url, token}).then(
					report => current === round.current && setCalls(now => ({...now, [key]: {status: 'answered', report}})),
					(error: unknown) =>
						current === round.current && setCalls(now => ({...now, [key]: {status: 'failed', error: formatError(error).message}})),
				);
			}
		}
		setCalls(started);
	}, [session, tryIt, targets]);

	return {tokenInfo, calls, targets, open, askTokenInfo, callAll, canCall: Boolean(tryIt), canAskTokenInfo: Boolean(lookUp)};
}

function serviceOf(audience: string | undefined) {
	const url = audienceUrl(audience);
	return url ? {label: 'its service', url} : undefined;
}
