import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {wrapText} from '../layout.js';
import type {PaneLine} from '../panels/details.js';
import {colour, dim} from '../theme.js';

/** A pane's lines wrapped to the width: each display line fits, so the pane is exactly as tall as it is given. */
export function wrapPane(lines: PaneLine[], columns: number): PaneLine[] {
	return lines.flatMap(line => {
		const indent = line.indent ?? 0;
		const hang = line.hang ?? 0;
		if (hang > 0 && hang < columns - indent - 10) {
			// A table row: its label keeps its padding, and its value wraps in the value's column.
			const label = line.text.slice(0, hang);
			const [first = '', ...rest] = wrapText(line.text.slice(hang), columns - indent - hang);
			const lead = ' '.repeat(indent);
			return [
				{...line, text: `${lead}${label}${first}`},
				...rest.map(text => ({...line, text: `${lead}${' '.repeat(hang)}${text}`, indent: 0, hang: 0})),
			];
		}
		const [first = '', ...rest] = wrapText(line.text, Math.max(10, columns - indent));
		const lead = ' '.repeat(indent);
		return [{...line, text: `${lead}${first}`}, ...rest.map(text => ({...line, text: `${' '.repeat(indent)}${text}`, indent: 0}))];
	});
}

interface PaneFrameProps {
	title: string;
	/** The body's rows, already cut to fit: the frame pads what is missing. */
	body: ReactNode[];
	/** Rows for the whole pane: its title, its body and its last line. */
	rows: number;
	/** The first padding row's words when the body is empty ("no events yet"). */
	empty?: string;
	/** The last line: how to move and how to leave. */
	footer: ReactNode;
}

/** A full-screen pane: its title, its body padded to the rows it is given, and one line on how to leave. */
export function PaneFrame({title, body, rows, empty, footer}: PaneFrameProps) {
	const height = Math.max(1, rows - 2);
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">
				{title}
			</Text>
			{body}
			{Array.from({length: height - body.length}, (_, index) => (
				<Text key={`pad-${index}`}>{index === 0 && body.length === 0 && empty ? empty : ' '}</Text>
			))}
			<Text dimColor={dim} wrap="truncate-end">
				{footer}
			</Text>
		</Box>
	);
}

interface PaneProps {
	title: string;
	/** Already wrapped (wrapPane). */
	lines: PaneLine[];
	/** Rows for the whole pane: its title, its body and its last line. */
	rows: number;
	offset: number;
	closeHint: string;
}

/** A full-screen pane of text that scrolls: it replaces the live view's body, so it never adds a row to the frame. */
export function Pane({title, lines, rows, offset, closeHint}: PaneProps) {
	const body = Math.max(1, rows - 2);
	const start = Math.max(0, Math.min(offset, lines.length - body));
	const shown = lines.slice(start, start + body);
	const more = lines.length > body;
	const position = more ? ` · ${start + 1}–${start + shown.length} of ${lines.length}, ↑/↓ PgUp/PgDn scroll` : '';
	const rowsShown = shown.map((line, index) => (
		<Text key={index} bold={line.bold} color={line.meaning ? colour(line.meaning) : undefined} wrap="truncate-end">
			{line.text || ' '}
		</Text>
	));
	return <PaneFrame title={title} body={rowsShown} rows={rows} footer={`${closeHint}${position}`} />;
}

/** The largest useful offset for a pane of `rows` showing `total` lines. */
export function maxPaneOffset(total: number, rows: number): number {
	return Math.max(0, total - Math.max(1, rows - 2));
}
