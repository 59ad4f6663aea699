import {Box, Text} from 'ink';
import {terminalSafe} from '../../core/terminal-safe.js';
import {sourceEntry} from '../../sources/catalog.js';
import {PasteField} from '../components/PasteField.js';
import {TextField} from '../components/TextField.js';
import type {SourceId} from '../../sources/types.js';
import {colour, dim} from '../theme.js';
import {currentStep, fieldHint, typingWarnings, type InputValues} from './inputs-state.js';
import {useInputs} from './use-inputs.js';

export type {InputValues} from './inputs-state.js';

interface InputsProps {
	source: SourceId;
	label: string;
	defaults: InputValues;
	onDone: (values: InputValues) => void;
	onBack: () => void;
}

/**
 * The inputs a source needs (from the catalog), one at a time, with defaults filled in and a sentence when a value
 * will not work. The last step (the audience) also offers the access token's scopes, a tab away, so enter still goes
 * straight on.
 */
export function Inputs({source, label, defaults, onDone, onBack}: InputsProps) {
	const {state, typeField, typeScopes, submit, submitPasted} = useInputs({entry: sourceEntry(source), defaults, onDone, onBack});
	const {field, withScopes} = currentStep(state);
	if (!field) return null;
	const {focus, problem, note} = state;
	const hint = fieldHint(state);

	return (
		<Box flexDirection="column">
			<Text bold>{label}</Text>
			<Text dimColor={dim}>enter to accept{withScopes ? ', tab for scopes' : ''}, ctrl-u clears, esc goes back a step</Text>
			<Text> </Text>
			<Text>{field.label}</Text>
			<Text dimColor={dim} wrap="wrap">
				{field.help}
			</Text>
			<Box>
				<Text color={colour('accent')}>{focus === 'field' ? '❯ ' : '  '}</Text>
				{field.name === 'token' ? (
					<PasteField key={`${field.name}-${state.step}`} isActive={focus === 'field'} onSubmit={submitPasted} />
				) : (
					<TextField
						key={`${field.name}-${state.step}`}
						initial={state.text.field}
						isActive={focus === 'field'}
						placeholder="…"
						onChange={typeField}
						onSubmit={submit}
					/>
				)}
			</Box>
			{hint && (
				<Text dimColor={dim} wrap="wrap">
					{terminalSafe(hint)}
				</Text>
			)}
			{typingWarnings(state).map(warning => (
				<Text key={warning} color={colour('warning')} wrap="wrap">
					⚠ {terminalSafe(warning)}
				</Text>
			))}
			{problem && (
				<Text color={colour('error')} wrap="wrap">
					{problem}
				</Text>
			)}
			{note && (
				<Text color={colour('warning')} wrap="wrap">
					{note}
				</Text>
			)}
			{withScopes && (
				<>
					<Text> </Text>
					<Text>Scopes for the access token (optional)</Text>
					<Text dimColor={dim} wrap="wrap">
						Comma-separated; empty means the source’s default (cloud-platform). An ID token has an audience instead.
					</Text>
					<Box>
						<Text color={colour('accent')}>{focus === 'scopes' ? '❯ ' : '  '}</Text>
						<TextField
							initial={state.text.scopes}
							isActive={focus === 'scopes'}
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
