import {Box, Text} from 'ink';
import {memo} from 'react';
import {liveKeys} from '../keymap.js';
import {colour, dim} from '../theme.js';
import {ComparePanel} from './ComparePanel.js';

export function Help({active}: {active: 'id' | 'access'}) {
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1}>
			<Text bold>Keys</Text>
			{liveKeys.map(entry => (
				<Box key={entry.command}>
					<Box width={6}>
						<Text color={colour('accent')}>{entry.key}</Text>
					</Box>
					<Text>{entry.help}</Text>
				</Box>
			))}
			<Text> </Text>
			<ComparePanel active={active} />
			<Text> </Text>
			<Text color={colour('muted')}>press ? or esc to close</Text>
		</Box>
	);
}

export const Footer = memo(function Footer() {
	return (
		<Text wrap="truncate-end">
			{liveKeys.map(entry => (
				<Text key={entry.command}>
					<Text color={colour('accent')}>{entry.key}</Text>
					<Text dimColor={dim}> {entry.hint} </Text>
				</Text>
			))}
		</Text>
	);
});
