import {TextInput} from '@inkjs/ui';
import {Box, Text, useInput} from 'ink';
import {useRef} from 'react';
import {wrapText} from '../layout.js';
import {colour, dim} from '../theme.js';

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
	// Enter in the same read as the text (a pasted URL ending in a newline) arrives inside it: taken as enter, once
	// (@inkjs/ui repeats onChange after every render).
	const submitted = useRef<string | undefined>(undefined);
	const typed = (value: string) => {
		const lineBreak = value.search(/[\r\n]/);
		if (lineBreak < 0 || submitted.current === value) return;
		submitted.current = value;
		onSubmit(value.slice(0, lineBreak));
	};
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
				<TextInput defaultValue={prefill} placeholder="https://SERVICE/PATH" onChange={typed} onSubmit={onSubmit} />
			</Box>
			{problem && (
				<Text color={colour('error')} wrap="truncate-end">
					{problem}
				</Text>
			)}
			<Text dimColor={dim} wrap="truncate-end">
				enter calls it · esc back
			</Text>
		</Box>
	);
}
