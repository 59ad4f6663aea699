import {describe, expect, it} from 'vitest';
import {sourceEntry} from '../../../src/sources/catalog.js';
import type {SourceId} from '../../../src/sources/types.js';
import {currentStep, initialInputs, inputsReducer, type InputsAction, type InputsState} from '../../../src/ui/screens/inputs-state.js';

// The inputs screen as a table of states: no Ink, no keys, only what each action does.

const form = (source: SourceId, defaults = {}) => initialInputs(sourceEntry(source), defaults);
const run = (state: InputsState, ...actions: InputsAction[]) => actions.reduce(inputsReducer, state);
const typed = (value: string): InputsAction => ({type: 'type', target: 'field', value});

describe('which fields a source asks for (from the catalog)', () => {
	it.each([
		['key-file', ['Service-account key file', 'Audience for the ID token'], true],
		['external', ['external_account JSON file', 'Audience for the ID token'], true],
		['impersonate', ['Service account to impersonate', 'Audience for the ID token'], true],
		['metadata', ['Audience for the ID token'], true],
		['gcloud', ['Audience for the ID token'], false],
		['paste', ['Token'], false],
	] as const)('%s: %j, scopes offered: %s', (source, labels, takesScopes) => {
		const state = form(source);
		expect(state.fields.map(field => field.label)).toEqual(labels);
		expect(state.takesScopes).toBe(takesScopes);
	});
});

describe('the inputs reducer', () => {
	it('leaves the state untouched when a line did not change (@inkjs/ui reports it after every render)', () => {
		const state = run(form('adc'), typed('https://a.run.app'));
		expect(inputsReducer(state, typed('https://a.run.app'))).toBe(state);
	});

	it('refuses an empty value with a sentence and puts the focus back on it', () => {
		const state = run(form('key-file'), {type: 'tab'}, {type: 'submit'});
		expect(state).toMatchObject({step: 0, focus: 'field', problem: 'Give the path of the file.'});
		expect(state.done).toBeUndefined();
	});

	it('takes no audience for an access token alone, and says what the ID tab will need', () => {
		const state = run(form('metadata'), {type: 'submit'});
		expect(state.done).toEqual({audience: undefined, scopes: undefined});
		expect(state.note).toContain('No audience: only the access token');
		expect(
			run(form('metadata', {audience: 'https://a.run.app'}), {type: 'type', target: 'field', value: 'none'}, {type: 'submit'}).done,
		).toMatchObject({audience: undefined});
	});

	it('esc on a later step goes back one, keeping the value given there', () => {
		const second = run(form('key-file'), {type: 'type', target: 'field', value: '/keys/mine.json'}, {type: 'submit'});
		expect(second.step).toBe(1);
		const back = run(second, {type: 'back'});
		expect(back).toMatchObject({step: 0, prefill: '/keys/mine.json', text: {field: '/keys/mine.json'}});
		expect(run(back, {type: 'submit'})).toMatchObject({step: 1, values: {keyFile: '/keys/mine.json'}});
	});

	it('keeps the default on an empty enter and goes to the next step, the scopes only on the last', () => {
		const state = run(form('key-file', {keyFile: '/keys/sa.json'}), {type: 'tab'}, {type: 'submit'});
		expect(currentStep(run(form('key-file')))).toMatchObject({last: false, withScopes: false});
		expect(state).toMatchObject({step: 1, focus: 'field', values: {keyFile: '/keys/sa.json'}, problem: undefined});
		expect(currentStep(state)).toMatchObject({last: true, withScopes: true});
	});

	it('tab moves between the field and the scopes only where scopes are offered', () => {
		expect(run(form('metadata'), {type: 'tab'}).focus).toBe('scopes');
		expect(run(form('metadata'), {type: 'tab'}, {type: 'tab'}).focus).toBe('field');
		const paste = form('paste');
		expect(inputsReducer(paste, {type: 'tab'})).toBe(paste);
	});

	it('ctrl-u empties the focused line and remounts its input', () => {
		const state = run(form('metadata', {scopes: ['openid']}), typed('wrong'), {type: 'tab'}, {type: 'clear'});
		expect(state).toMatchObject({text: {field: 'wrong', scopes: ''}, cleared: {field: 0, scopes: 1}});
	});

	it('the last enter finishes with every value, the scopes parsed, and a note on an audience that is no URL', () => {
		const state = run(
			form('impersonate'),
			typed('a@p.iam.gserviceaccount.com, t@p.iam.gserviceaccount.com'),
			{type: 'submit'},
			typed('my-service'),
			{type: 'type', target: 'scopes', value: 'openid  https://www.googleapis.com/auth/cloud-platform'},
			{type: 'submit'},
		);
		expect(state.done).toEqual({
			impersonate: ['a@p.iam.gserviceaccount.com', 't@p.iam.gserviceaccount.com'],
			audience: 'my-service',
			scopes: ['openid', 'https://www.googleapis.com/auth/cloud-platform'],
		});
		expect(state.note).toMatch(/^This is not a URL/);
		expect(inputsReducer(state, {type: 'submit'})).toBe(state);
	});

	it('a pasted token is asked for no scopes', () => {
		expect(run(form('paste'), typed(' eyJ.x.y '), {type: 'submit'}).done).toEqual({token: 'eyJ.x.y', scopes: undefined});
	});
});
