import {TextInput} from '@inkjs/ui';
import {Box, Text, useInput} from 'ink';
import {useState} from 'react';
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

/** The inputs a source needs, one at a time, with defaults filled in and a sentence when a value will not work. */
export function Inputs({source, label, defaults, onDone, onBack}: InputsProps) {
	const fields = fieldsFor(source, defaults);
	const [step, setStep] = useState(0);
	const [values, setValues] = useState<InputValues>({scopes: defaults.scopes});
	const [problem, setProblem] = useState<string | undefined>();
	const [note, setNote] = useState<string | undefined>();
	useInput((_input, key) => {
		if (key.escape) onBack();
	});
	const field = fields[step];
	if (!field) return null;

	const submit = (value: string) => {
		const trimmed = value.trim() === '' ? field.initial : value;
		const error = field.check(trimmed);
		if (error) {
			setProblem(error);
			return;
		}
		setProblem(undefined);
		setNote(field.note?.(trimmed));
		const next = {...values, [field.name]: field.parse(trimmed)};
		setValues(next);
		if (step + 1 >= fields.length) onDone(next);
		else setStep(step + 1);
	};

	return (
		<Box flexDirection="column">
			<Text bold>{label}</Text>
			<Text dimColor={dim}>enter to accept, esc to go back</Text>
			<Text> </Text>
			<Text>{field.label}</Text>
			<Text dimColor={dim} wrap="wrap">{field.help}</Text>
			<Box>
				<Text color={colour('accent')}>❯ </Text>
				<TextInput key={field.name} placeholder={field.initial || '…'} onSubmit={submit} />
			</Box>
			{field.initial && <Text dimColor={dim}>enter keeps {field.initial}</Text>}
			{problem && <Text color={colour('error')}>{problem}</Text>}
			{note && <Text color={colour('warning')}>{note}</Text>}
		</Box>
	);
}
