import {useInput} from 'ink';
import {useCallback, useEffect, useEffectEvent, useReducer} from 'react';
import type {SourceEntry} from '../../sources/catalog.js';
import {initialInputs, inputsReducer, type InputValues} from './inputs-state.js';

interface UseInputsOptions {
	entry: SourceEntry;
	defaults: InputValues;
	onDone: (values: InputValues) => void;
	onBack: () => void;
}

/** The inputs screen's keys: esc goes back a step (keeping what was typed), tab moves to the scopes; each line edits itself. */
export function useInputs({entry, defaults, onDone, onBack}: UseInputsOptions) {
	const [state, dispatch] = useReducer(inputsReducer, undefined, () => initialInputs(entry, defaults));
	useInput((_input, key) => {
		if (key.escape) {
			if (state.step > 0) dispatch({type: 'back'});
			else onBack();
		} else if (key.tab) dispatch({type: 'tab'});
	});
	// Once, when the last step is accepted: the parent hands in a new onDone on each of its renders.
	const done = useEffectEvent(onDone);
	useEffect(() => {
		if (state.done) done(state.done);
	}, [state.done]);
	const typeField = useCallback((value: string) => dispatch({type: 'type', target: 'field', value}), []);
	const typeScopes = useCallback((value: string) => dispatch({type: 'type', target: 'scopes', value}), []);
	const submit = useCallback(() => dispatch({type: 'submit'}), []);
	const submitPasted = useCallback((value: string) => dispatch({type: 'submit', value}), []);
	return {state, typeField, typeScopes, submit, submitPasted};
}
