import {describe, expect, it} from 'vitest';
import {sourceEntry} from '../../../src/sources/catalog.js';
import type {SourceId} from '../../../src/sources/types.js';
import {
	currentStep,
	fieldHint,
	initialInputs,
	inputsReducer,
	type InputsAction,
	type InputsState,
} from '../../../src/ui/screens/inputs-state.js';

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
	it('leaves the state untouched when a line did not change', () => {
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
		expect(back).toMatchObject({step: 0, text: {field: '/keys/mine.json'}});
		expect(run(back, {type: 'submit'})).toMatchObject({step: 1, values: {keyFile: '/keys/mine.json'}});
	});

	it('keeps the default, which is in the line, on enter and goes to the next step, the scopes only on the last', () => {
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

	it('one meaning for an empty audience line: the access token alone, even where a default was offered', () => {
		const offered = form('metadata', {audience: 'http://127.0.0.1:35099'});
		expect(offered.text.field).toBe('http://127.0.0.1:35099');
		expect(fieldHint(offered)).toBe('enter keeps http://127.0.0.1:35099');
		// Typed over, the default is no longer what enter takes, and the hint says nothing about it.
		expect(fieldHint(run(offered, typed('https://other.run.app')))).toBeUndefined();
		const emptied = run(offered, typed(''));
		expect(fieldHint(emptied)).toBe('empty: no ID token, the access token alone');
		expect(run(emptied, {type: 'submit'}).done).toEqual({audience: undefined, scopes: undefined});
		expect(run(offered, {type: 'submit'}).done).toEqual({audience: 'http://127.0.0.1:35099', scopes: undefined});
	});

	it('refuses at once what cannot be a token, with the decoder’s sentence, and stays on the field', () => {
		const state = run(form('paste'), typed('hello this is garbage'), {type: 'submit'});
		expect(state.done).toBeUndefined();
		expect(state.problem).toBe(
			'This is not a token: a token is a JWT (three base64url parts separated by dots) or an opaque string of URL-safe characters.',
		);
		expect(run(form('paste'), {type: 'submit', value: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0'}).problem).toMatch(/has 2 parts/);
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
		const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';
		expect(run(form('paste'), typed(` ${jwt} `), {type: 'submit'}).done).toEqual({token: jwt, scopes: undefined});
	});
});
