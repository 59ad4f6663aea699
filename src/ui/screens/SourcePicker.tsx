import {Box, Text, useInput, useWindowSize} from 'ink';
import {useEffect, useEffectEvent, useState} from 'react';
import {terminalSafe} from '../../core/terminal-safe.js';
import {sourceCatalog, type SourceEntry} from '../../sources/catalog.js';
import type {SourceId} from '../../sources/types.js';
import {splitKeys} from '../keymap.js';
import {wrapText} from '../layout.js';
import {colour, dim} from '../theme.js';

interface SourcePickerProps {
	/** The lines to pick from, in order: every source in the catalog unless given; a line's note replaces detection. */
	choices?: ReadonlyArray<Pick<SourceEntry, 'id' | 'label'> & {note?: string}>;
	/** Runs after the first frame; until it answers each line says "checking…". */
	detect: () => Promise<Partial<Record<SourceId, string>>>;
	/** The source and which line it was (the demo offers one source on several lines, each with its own file). */
	onPick: (id: SourceId, index: number) => void;
	onQuit: () => void;
	banner?: string;
	/** Keys typed on the screen before (`s3` in the live view): answered as soon as this screen is up. */
	pendingKeys?: string;
}

/** What a key typed as text does on the picker: move the cursor, or leave by picking a line or quitting. */
type Leave = {leave: 'quit'} | {leave: 'pick'; index: number};
type PickerMove = {selected: number} | Leave;

function typedKey(input: string, selected: number, count: number): PickerMove | undefined {
	if (input === 'k') return {selected: (selected + count - 1) % count};
	if (input === 'j') return {selected: (selected + 1) % count};
	if (input === 'q') return {leave: 'quit'};
	if (/^[1-9]$/.test(input) && Number(input) <= count) return {leave: 'pick', index: Number(input) - 1};
	return undefined;
}

/** Keys taken one after the other (several in one read, or typed before the screen was up): where they leave the cursor, or the screen. */
function follow(keys: readonly string[], selected: number, count: number): PickerMove {
	for (const input of keys) {
		const move = typedKey(input, selected, count);
		if (move && 'leave' in move) return move;
		if (move) selected = move.selected;
	}
	return {selected};
}

export function SourcePicker({choices = sourceCatalog, detect, onPick, onQuit, banner, pendingKeys}: SourcePickerProps) {
	// Keys typed before the screen was up (`s3` in the live view) count as typed here.
	const [pending] = useState(() => follow([...(pendingKeys ?? '')], 0, choices.length));
	const [selected, setSelected] = useState('selected' in pending ? pending.selected : 0);
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

	const {rows, columns} = useWindowSize();
	// The banner in whole words, on as many lines as it takes (the demo's says how long its tokens live).
	const bannerLines = banner ? wrapText(banner, columns) : [];
	const heading = 3 + bannerLines.length;
	// Two lines a source while they fit; one (the detection after the label) when the terminal is short.
	const roomy = rows > heading + choices.length * 2;
	const pick = (index: number) => onPick(choices[index]!.id, index);
	const leave = (move: Leave) => (move.leave === 'quit' ? onQuit() : pick(move.index));
	// A pick or quit among them happens once the screen is up.
	const leaveIfPending = useEffectEvent(() => 'leave' in pending && leave(pending));
	useEffect(() => void leaveIfPending(), []);

	useInput((input, key) => {
		if (key.upArrow) setSelected(index => (index + choices.length - 1) % choices.length);
		else if (key.downArrow) setSelected(index => (index + 1) % choices.length);
		else if (key.return) pick(selected);
		else if (key.escape) onQuit();
		else {
			const move = follow(splitKeys(input), selected, choices.length);
			if ('leave' in move) leave(move);
			else setSelected(move.selected);
		}
	});

	const foundFor = (index: number) => {
		const choice = choices[index]!;
		return choice.note ?? (detected ? terminalSafe(detected[choice.id] ?? '') : 'checking…');
	};
	const selectedFound = `${selected + 1}. ${foundFor(selected)}`;

	return (
		<Box flexDirection="column">
			{bannerLines.map((line, index) => (
				<Text key={`banner-${index}`} color={colour('demo')} bold>
					{line}
				</Text>
			))}
			<Text bold>Pick a credential source</Text>
			<Text dimColor={dim}>↑/↓ to move, enter to choose, q to quit</Text>
			<Text> </Text>
			{choices.map((choice, index) => {
				const found = foundFor(index);
				return (
					<Box key={`${choice.id}-${index}`} flexDirection="column">
						<Text color={index === selected ? colour('accent') : undefined} bold={index === selected} wrap="truncate-end">
							{index === selected ? '❯ ' : '  '}
							{index + 1}. {choice.label}
							{!roomy && <Text dimColor={dim}> — {found}</Text>}
						</Text>
						{roomy && (
							<Text dimColor={dim} wrap="truncate-end">
								{'     '}
								{found}
							</Text>
						)}
					</Box>
				);
			})}
			{!roomy && rows >= heading + choices.length + 3 && (
				<>
					<Text> </Text>
					{/* One line a source cuts what detection found; the selected one is said in full. */}
					<Text dimColor={dim} wrap="wrap">
						{selectedFound}
					</Text>
				</>
			)}
		</Box>
	);
}
