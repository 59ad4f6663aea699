import {Box, Text, useInput} from 'ink';
import {wrapText} from '../layout.js';
import {colour, dim} from '../theme.js';
import {TextField} from './TextField.js';

interface AskUrlProps {
	title: string;
	/** Why a URL is asked, in a sentence. */
	why: string;
	prefill: string;
	problem?: string;
	rows: number;
	columns: number;
	onSubmit: (typed: string) => void;
	onCancel: () => void;
}

/** The URL to call, asked in place of the live view's body: never taller than the rows it is given. */
export function AskUrl({title, why, prefill, problem, rows, columns, onSubmit, onCancel}: AskUrlProps) {
	useInput((_input, key) => {
		if (key.escape) onCancel();
	});
	const said = wrapText(why, columns);
	return (
		<Box flexDirection="column" height={rows} overflow="hidden">
			<Text bold wrap="truncate-end">
				{title}
			</Text>
			{said.map((line, index) => (
				<Text key={index}>{line}</Text>
			))}
			<Text> </Text>
			<Box>
				<Text color={colour('accent')}>❯ </Text>
				<TextField initial={prefill} placeholder="https://SERVICE/PATH" onSubmit={onSubmit} />
			</Box>
			{problem &&
				wrapText(problem, columns).map((line, index) => (
					<Text key={`problem-${index}`} color={colour('error')}>
						{line}
					</Text>
				))}
			<Text dimColor={dim} wrap="truncate-end">
				enter calls it · ctrl-u clears · esc back
			</Text>
		</Box>
	);
}
