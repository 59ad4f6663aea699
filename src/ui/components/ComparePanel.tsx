import {Box, Text} from 'ink';
import {memo} from 'react';
import {colour} from '../theme.js';
import type {TokenType} from '../../core/types.js';

export const compareRows: Array<[string, string, string]> = [
	['', 'ID token', 'access token'],
	['format', 'signed JWT: anyone can read it', 'opaque string (ya29.…)'],
	['says', 'who the caller is', 'what the caller may do'],
	['scoped by', 'one audience (aud)', 'OAuth scopes'],
	['checked by', 'the receiver, with Google’s keys', 'Google, on each API call'],
	['send it to', 'your service: Cloud Run, IAP', 'Google APIs'],
	['lifetime', 'about 1 hour', 'about 1 hour'],
];

// Columns by padding inside one line of text: a box per cell would give Ink's layout three times the nodes to
// measure on every frame, and the live view redraws once a second.
const labelWidth = 12;
const idWidth = 34;

/** ID token vs access token, side by side: the difference people most often get wrong (a 401 from Cloud Run). */
export const ComparePanel = memo(function ComparePanel({active}: {active: TokenType}) {
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				{' '.repeat(labelWidth)}
				<Text bold color={active === 'id' ? colour('accent') : undefined}>
					{'ID token'.padEnd(idWidth)}
				</Text>
				<Text bold color={active === 'access' ? colour('accent') : undefined}>
					access token
				</Text>
			</Text>
			{compareRows.slice(1).map(([label, id, access]) => (
				<Text key={label} wrap="truncate-end">
					<Text color={colour('muted')}>{label.padEnd(labelWidth)}</Text>
					{id.padEnd(idWidth)}
					{access}
				</Text>
			))}
		</Box>
	);
});
