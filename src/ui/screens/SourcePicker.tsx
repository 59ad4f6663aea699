import {Box, Text, useInput} from 'ink';
import {useEffect, useState} from 'react';
import {terminalSafe} from '../../core/terminal-safe.js';
import {sourceCatalog, type SourceEntry} from '../../sources/catalog.js';
import type {SourceId} from '../../sources/types.js';
import {colour, dim} from '../theme.js';

interface SourcePickerProps {
	/** The lines to pick from, in order: every source in the catalog unless given. */
	choices?: ReadonlyArray<Pick<SourceEntry, 'id' | 'label'>>;
	/** Runs after the first frame; until it answers each line says "checking…". */
	detect: () => Promise<Partial<Record<SourceId, string>>>;
	onPick: (id: SourceId) => void;
	onQuit: () => void;
	banner?: string;
}

export function SourcePicker({choices = sourceCatalog, detect, onPick, onQuit, banner}: SourcePickerProps) {
	const [selected, setSelected] = useState(0);
	const [detected, setDetected] = useState<Partial<Record<SourceId, string>> | undefined>();

	useEffect(() => {
		let live = true;
		const timer = setTimeout(() => {
			detect().then(
				result => live && setDetected(result),
				() => live && setDetected({}),
			);
		}, 0);
		return () => {
			live = false;
			clearTimeout(timer);
		};
	}, [detect]);

	useInput((input, key) => {
		if (key.upArrow || input === 'k') setSelected(index => (index + choices.length - 1) % choices.length);
		else if (key.downArrow || input === 'j') setSelected(index => (index + 1) % choices.length);
		else if (key.return) onPick(choices[selected]!.id);
		else if (input === 'q' || key.escape) onQuit();
		else if (/^[1-9]$/.test(input) && Number(input) <= choices.length) onPick(choices[Number(input) - 1]!.id);
	});

	return (
		<Box flexDirection="column">
			{banner && <Text color={colour('demo')} bold wrap="truncate-end">{banner}</Text>}
			<Text bold>Pick a credential source</Text>
			<Text dimColor={dim}>↑/↓ to move, enter to choose, q to quit</Text>
			<Text> </Text>
			{choices.map((choice, index) => (
				<Box key={choice.id} flexDirection="column">
					<Text color={index === selected ? colour('accent') : undefined} bold={index === selected} wrap="truncate-end">
						{index === selected ? '❯ ' : '  '}
						{index + 1}. {choice.label}
					</Text>
					<Text dimColor={dim} wrap="truncate-end">
						{'     '}
						{detected ? terminalSafe(detected[choice.id] ?? '') : 'checking…'}
					</Text>
				</Box>
			))}
		</Box>
	);
}
