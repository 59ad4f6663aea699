import {audienceWarnings} from '../../core/audience-check.js';
import {decodeToken} from '../../core/decode.js';
import {formatError} from '../../core/errors.js';
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
	/** What the line holds when the step opens (real text: enter takes it as it is, ctrl-u clears it). */
	initial: string;
	/** What an empty line means, said under it while it is empty. */
	empty?: string;
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

/** The decoder's sentence when the text cannot be a token at all, or undefined. */
function notAToken(value: string): string | undefined {
	try {
		decodeToken(value);
		return undefined;
	} catch (error) {
		return formatError(error).message;
	}
}

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
		// Said at once, on this screen, rather than as a failed fetch in the live view.
		check: value => (value.trim() ? notAToken(value) : 'Paste a token.'),
		parse: value => value.trim(),
	}),
	audience: (_entry, defaults) => ({
		name: 'audience',
		label: 'Audience for the ID token',
		help:
			'Usually the URL of the Cloud Run service you call, e.g. https://my-service-abc123-uc.a.run.app. ' +
			'Empty (ctrl-u clears the line) or none: the access token alone.',
		initial: defaults.audience ?? '',
		empty: 'empty: no ID token, the access token alone',
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
	/** Each line as it stands: what enter takes. */
	text: Record<InputTarget, string>;
	problem?: string;
	note?: string;
	/** Set once the last step is accepted: everything the source needs. */
	done?: InputValues;
}

export type InputsAction =
	| {type: 'type'; target: InputTarget; value: string}
	| {type: 'tab'}
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
		text: {field: fields[0]?.initial ?? '', scopes: defaults.scopes?.join(',') ?? ''},
	};
}

/** What enter would take for the field: the line as it stands (a default is in the line, not behind it). */
export function pendingValue(state: InputsState): string {
	return state.text.field;
}

/** The line under the field: what enter keeps while the line still holds the default, what an empty line means. */
export function fieldHint(state: InputsState): string | undefined {
	const field = state.fields[state.step];
	if (!field) return undefined;
	if (state.text.field.trim() === '') return field.empty;
	return field.initial && state.text.field === field.initial ? `enter keeps ${field.initial}` : undefined;
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
		case 'type':
			return state.text[action.target] === action.value ? state : {...state, text: {...state.text, [action.target]: action.value}};
		case 'tab':
			return withScopes ? {...state, focus: state.focus === 'field' ? 'scopes' : 'field'} : state;
		case 'back': {
			// Back one step with the value given there kept (esc on the first step leaves the screen: use-inputs.ts).
			if (state.step === 0) return state;
			const previous = state.fields[state.step - 1]!;
			const value = state.values[previous.name];
			const kept = Array.isArray(value) ? value.join(',') : (value ?? '');
			const text = {...state.text, field: kept};
			return {...state, step: state.step - 1, focus: 'field', problem: undefined, note: undefined, text};
		}
		case 'submit': {
			if (!field || state.done) return state;
			const value = action.value ?? pendingValue(state);
			const problem = field.check(value);
			if (problem) return {...state, focus: 'field', problem};
			const scopes = withScopes ? {scopes: state.text.scopes.trim() ? list(state.text.scopes) : undefined} : {};
			const values = {...state.values, [field.name]: field.parse(value), ...scopes};
			const following = state.fields[state.step + 1]?.initial ?? '';
			const next = {...state, values, problem: undefined, note: field.note?.(value), text: {...state.text, field: following}};
			return last ? {...next, done: values} : {...next, step: state.step + 1};
		}
	}
}
