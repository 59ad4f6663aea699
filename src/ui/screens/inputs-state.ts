import {audienceWarnings} from '../../core/audience-check.js';
import type {SourceEntry, SourceInput} from '../../sources/catalog.js';
import {oauthClientIdPattern} from '../../core/google.js';

// The inputs screen as data: which fields a source asks for (from the catalog), what was typed, where the focus
// is, and what enter does. Pure, so the steps are tested without Ink; Inputs.tsx draws it, use-inputs.ts feeds it keys.

export interface InputValues {
	keyFile?: string;
	impersonate?: string[];
	clientSecret?: string;
	token?: string;
	audience?: string;
	scopes?: string[];
}

/** Every input but the scopes is a step of its own; the scopes ride along with the last step. */
export type FieldName = Exclude<SourceInput, 'scopes'>;

export interface Field {
	name: FieldName;
	label: string;
	help: string;
	initial: string;
	/** A sentence when the value cannot be used, or undefined. */
	check(value: string): string | undefined;
	/** A note shown below a usable but doubtful value. */
	note?(value: string): string | undefined;
	/** Mistakes the text alone shows, said under the line as it is typed (the value is still taken on enter). */
	warn?(value: string): string[];
	parse(value: string): InputValues[FieldName];
}

export const list = (value: string) =>
	value
		.split(/[\s,]+/)
		.map(entry => entry.trim())
		.filter(Boolean);

const path = (value: string) => value.trim();
const noAudience = (value: string) => ['', '-', 'none'].includes(value.trim().toLowerCase());
const needsPath = (value: string) => (value.trim() ? undefined : 'Give the path of the file.');

/** How each input is asked for; a new kind of input is one entry here. */
const fieldFor: Record<FieldName, (entry: SourceEntry, defaults: InputValues) => Field> = {
	keyFile: (entry, defaults) => ({
		name: 'keyFile',
		label: entry.fileLabel ?? 'Credential file',
		help: 'Path to the JSON file.',
		initial: defaults.keyFile ?? '',
		check: needsPath,
		parse: path,
	}),
	impersonate: (_entry, defaults) => ({
		name: 'impersonate',
		label: 'Service account to impersonate',
		help: 'SA email; for a delegation chain: DELEGATE,...,TARGET (the last is the target, as in gcloud).',
		initial: defaults.impersonate?.join(',') ?? '',
		check: value =>
			list(value).length > 0 && list(value).every(email => /^[^@\s]+@[^@\s]+$/.test(email))
				? undefined
				: 'Give service-account emails, separated by commas.',
		parse: list,
	}),
	clientSecret: (_entry, defaults) => ({
		name: 'clientSecret',
		label: 'OAuth client secret file',
		help: 'Path to the client_secret….json of a desktop-app OAuth client.',
		initial: defaults.clientSecret ?? '',
		check: needsPath,
		parse: path,
	}),
	token: () => ({
		name: 'token',
		label: 'Token',
		help: 'Paste any token.',
		initial: '',
		check: value => (value.trim() ? undefined : 'Paste a token.'),
		parse: value => value.trim(),
	}),
	audience: (_entry, defaults) => ({
		name: 'audience',
		label: 'Audience for the ID token',
		help:
			'Usually the URL of the Cloud Run service you call, e.g. https://my-service-abc123-uc.a.run.app. ' +
			'Leave it empty (or type none) for the access token alone.',
		initial: defaults.audience ?? '',
		// An access token needs no audience: the session then opens on the access token, and the ID tab says why.
		check: () => undefined,
		note: value =>
			noAudience(value)
				? 'No audience: only the access token; the ID tab says what to type to get an ID token.'
				: /^https?:\/\//.test(value.trim()) || oauthClientIdPattern.test(value.trim())
					? undefined
					: 'This is not a URL; Cloud Run and IAP expect the service URL (or an OAuth client id for IAP).',
		parse: value => (noAudience(value) ? undefined : value.trim()),
		warn: value => (noAudience(value) ? [] : audienceWarnings(value)),
	}),
};

export type InputTarget = 'field' | 'scopes';

export interface InputsState {
	fields: Field[];
	/** The access token's scopes are offered, a tab away, on the last step. */
	takesScopes: boolean;
	step: number;
	values: InputValues;
	focus: InputTarget;
	text: Record<InputTarget, string>;
	/** How often each line was cleared: remounting an input empties it, which is how ctrl-u clears a line. */
	cleared: Record<InputTarget, number>;
	problem?: string;
	note?: string;
	/** What the field starts with after esc came back to it: the value accepted before. */
	prefill?: string;
	/** Set once the last step is accepted: everything the source needs. */
	done?: InputValues;
}

export type InputsAction =
	| {type: 'type'; target: InputTarget; value: string}
	| {type: 'tab'}
	| {type: 'clear'}
	/** `value`: what a field that keeps its own text (the paste field) holds; otherwise the line typed. */
	| {type: 'submit'; value?: string}
	| {type: 'back'};

export function initialInputs(entry: SourceEntry, defaults: InputValues): InputsState {
	const fields = entry.inputs.filter((input): input is FieldName => input !== 'scopes').map(input => fieldFor[input](entry, defaults));
	return {
		fields,
		takesScopes: entry.inputs.includes('scopes'),
		step: 0,
		values: {scopes: defaults.scopes},
		focus: 'field',
		text: {field: '', scopes: defaults.scopes?.join(',') ?? ''},
		cleared: {field: 0, scopes: 0},
	};
}

/** What enter would take for the field: the line as typed, or the field's default when the line is empty. */
export function pendingValue(state: InputsState): string {
	const field = state.fields[state.step];
	return state.text.field.trim() === '' ? (field?.initial ?? '') : state.text.field;
}

/** The warnings for what enter would take, as the user types (the audience's: no scheme, http://, a path on run.app…). */
export function typingWarnings(state: InputsState): string[] {
	return state.fields[state.step]?.warn?.(pendingValue(state)) ?? [];
}

/** The field being asked, whether it is the last, and whether the scopes are offered with it. */
export function currentStep(state: InputsState): {field: Field | undefined; last: boolean; withScopes: boolean} {
	const last = state.step + 1 >= state.fields.length;
	return {field: state.fields[state.step], last, withScopes: last && state.takesScopes};
}

export function inputsReducer(state: InputsState, action: InputsAction): InputsState {
	const {field, last, withScopes} = currentStep(state);
	switch (action.type) {
		case 'type': {
			// A line break arrives inside the text when enter comes in the same read as what was typed (a paste ending in
			// a newline, or keys sent fast over SSH): it is enter, and the text before it is the value.
			const lineBreak = /[\r\n]/.exec(action.value);
			if (lineBreak) {
				const typed = {...state, text: {...state.text, [action.target]: action.value.slice(0, lineBreak.index)}};
				return inputsReducer(typed, {type: 'submit'});
			}
			// @inkjs/ui calls onChange after every render until the value changes again: an unchanged value must leave
			// the state untouched (a new object each time would render forever).
			return state.text[action.target] === action.value ? state : {...state, text: {...state.text, [action.target]: action.value}};
		}
		case 'tab':
			return withScopes ? {...state, focus: state.focus === 'field' ? 'scopes' : 'field'} : state;
		case 'clear': {
			const {focus} = state;
			return {...state, text: {...state.text, [focus]: ''}, cleared: {...state.cleared, [focus]: state.cleared[focus] + 1}};
		}
		case 'back': {
			// Back one step with the value given there kept (esc on the first step leaves the screen: use-inputs.ts).
			if (state.step === 0) return state;
			const previous = state.fields[state.step - 1]!;
			const value = state.values[previous.name];
			const prefill = Array.isArray(value) ? value.join(',') : (value ?? '');
			const text = {...state.text, field: prefill};
			return {...state, step: state.step - 1, focus: 'field', problem: undefined, note: undefined, prefill, text};
		}
		case 'submit': {
			if (!field || state.done) return state;
			const value = action.value ?? pendingValue(state);
			const problem = field.check(value);
			if (problem) return {...state, focus: 'field', problem};
			const scopes = withScopes ? {scopes: state.text.scopes.trim() ? list(state.text.scopes) : undefined} : {};
			const values = {...state.values, [field.name]: field.parse(value), ...scopes};
			const next = {...state, values, problem: undefined, note: field.note?.(value), prefill: undefined, text: {...state.text, field: ''}};
			return last ? {...next, done: values} : {...next, step: state.step + 1};
		}
	}
}
