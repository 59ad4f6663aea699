import {TextInput} from '@inkjs/ui';
import {Box, Text, useInput} from 'ink';
import {useCallback, useState} from 'react';
import type {SourceId} from '../../sources/types.js';
import {colour, dim} from '../theme.js';

export interface InputValues {
	keyFile?: string;
	impersonate?: string[];
	token?: string;
	audience?: string;
	scopes?: string[];
}

interface Field {
	name: keyof InputValues;
	label: string;
	help: string;
	initial: string;
	/** A sentence when the value cannot be used, or undefined. */
	check(value: string): string | undefined;
	/** A note shown below a usable but doubtful value. */
	note?(value: string): string | undefined;
	parse(value: string): InputValues[keyof InputValues];
}

const list = (value: string) => value.split(/[\s,]+/).map(entry => entry.trim()).filter(Boolean);

function fieldsFor(source: SourceId, defaults: InputValues): Field[] {
	const fields: Field[] = [];
	if (source === 'key-file' || source === 'external') {
		fields.push({
			name: 'keyFile',
			label: source === 'key-file' ? 'Service-account key file' : 'external_account JSON file',
			help: 'Path to the JSON file.',
			initial: defaults.keyFile ?? '',
			check: value => (value.trim() ? undefined : 'Give the path of the file.'),
			parse: value => value.trim(),
		});
	}
	if (source === 'impersonate') {
		fields.push({
			name: 'impersonate',
			label: 'Service account to impersonate',
			help: 'SA email; for a delegation chain: DELEGATE,...,TARGET (the last is the target, as in gcloud).',
			initial: defaults.impersonate?.join(',') ?? '',
			check: value => (list(value).every(email => /^[^@\s]+@[^@\s]+$/.test(email)) && list(value).length > 0 ? undefined : 'Give service-account emails, separated by commas.'),
			parse: list,
		});
	}
	if (source === 'paste') {
		fields.push({name: 'token', label: 'Token', help: 'Paste any token.', initial: '', check: value => (value.trim() ? undefined : 'Paste a token.'), parse: value => value.trim()});
		return fields;
	}
	fields.push({
		name: 'audience',
		label: 'Audience for the ID token',
		help: 'Usually the URL of the Cloud Run service you call, e.g. https://my-service-abc123-uc.a.run.app',
		initial: defaults.audience ?? '',
		check: value => (value.trim() ? undefined : 'An ID token needs an audience: the URL of the service it is for.'),
		note: value => (/^https?:\/\//.test(value.trim()) ? undefined : 'This is not a URL; Cloud Run and IAP expect the service URL (or an OAuth client id for IAP).'),
		parse: value => value.trim(),
	});
	return fields;
}

interface InputsProps {
	source: SourceId;
	label: string;
	defaults: InputValues;
	onDone: (values: InputValues) => void;
	onBack: () => void;
}

/** Sources whose access token is minted for scopes the caller chooses (gcloud and a pasted token decide their own). */
const takesScopes = (source: SourceId) => source !== 'paste' && source !== 'gcloud';

/**
 * The inputs a source needs, one at a time, with defaults filled in and a sentence when a value will not work. The
 * last step (the audience) also offers the access token's scopes, a tab away, so enter still goes straight on.
 */
export function Inputs({source, label, defaults, onDone, onBack}: InputsProps) {
	const fields = fieldsFor(source, defaults);
	const [step, setStep] = useState(0);
	const [values, setValues] = useState<InputValues>({scopes: defaults.scopes});
	const [problem, setProblem] = useState<string | undefined>();
	const [note, setNote] = useState<string | undefined>();
	const [focus, setFocus] = useState<'field' | 'scopes'>('field');
	const [text, setText] = useState({field: '', scopes: defaults.scopes?.join(',') ?? ''});
	// Remounting an input empties it: how ctrl-u clears a line, as shells do.
	const [cleared, setCleared] = useState({field: 0, scopes: 0});
	// @inkjs/ui calls onChange after every render until the value changes again, so the handlers must leave the
	// state untouched when nothing changed (a new object each time would render forever).
	const typeField = useCallback((value: string) => setText(current => (current.field === value ? current : {...current, field: value})), []);
	const typeScopes = useCallback((value: string) => setText(current => (current.scopes === value ? current : {...current, scopes: value})), []);
	const field = fields[step];
	const last = step + 1 >= fields.length;
	const withScopes = last && takesScopes(source);
	useInput((input, key) => {
		if (key.escape) onBack();
		else if (key.tab && withScopes) setFocus(focus === 'field' ? 'scopes' : 'field');
		else if (key.ctrl && input === 'u') {
			setText({...text, [focus]: ''});
			setCleared({...cleared, [focus]: cleared[focus] + 1});
		}
	});
	if (!field) return null;

	const submit = () => {
		const value = text.field.trim() === '' ? field.initial : text.field;
		const error = field.check(value);
		if (error) {
			setFocus('field');
			setProblem(error);
			return;
		}
		setProblem(undefined);
		setNote(field.note?.(value));
		const scopes = withScopes ? {scopes: text.scopes.trim() ? list(text.scopes) : undefined} : {};
		const next = {...values, [field.name]: field.parse(value), ...scopes};
		setValues(next);
		setText({field: '', scopes: text.scopes});
		if (last) onDone(next);
		else setStep(step + 1);
	};

	return (
		<Box flexDirection="column">
			<Text bold>{label}</Text>
			<Text dimColor={dim}>enter to accept{withScopes ? ', tab for scopes' : ''}, ctrl-u clears, esc to go back</Text>
			<Text> </Text>
			<Text>{field.label}</Text>
			<Text dimColor={dim} wrap="wrap">{field.help}</Text>
			<Box>
				<Text color={colour('accent')}>{focus === 'field' ? '❯ ' : '  '}</Text>
				<TextInput
					key={`${field.name}-${cleared.field}`}
					isDisabled={focus !== 'field'}
					placeholder={field.initial || '…'}
					onChange={typeField}
					onSubmit={submit}
				/>
			</Box>
			{field.initial && <Text dimColor={dim}>enter keeps {field.initial}</Text>}
			{problem && <Text color={colour('error')}>{problem}</Text>}
			{note && <Text color={colour('warning')}>{note}</Text>}
			{withScopes && (
				<>
					<Text> </Text>
					<Text>Scopes for the access token (optional)</Text>
					<Text dimColor={dim} wrap="wrap">Comma-separated; empty means the source’s default (cloud-platform). An ID token has an audience instead.</Text>
					<Box>
						<Text color={colour('accent')}>{focus === 'scopes' ? '❯ ' : '  '}</Text>
						<TextInput
							key={`scopes-${cleared.scopes}`}
							isDisabled={focus !== 'scopes'}
							defaultValue={cleared.scopes === 0 ? (defaults.scopes?.join(',') ?? '') : ''}
							placeholder="https://www.googleapis.com/auth/cloud-platform"
							onChange={typeScopes}
							onSubmit={submit}
						/>
					</Box>
				</>
			)}
		</Box>
	);
}
