import {Text} from 'ink';
import {memo} from 'react';
import {footerEntries, type KeyContext} from '../keymap.js';
import {colour, dim} from '../theme.js';

/** One line of keys, from the keymap; `?` and `q` are always on it, at any width from 60 columns. */
export const Footer = memo(function Footer({context, columns}: {context: KeyContext; columns: number}) {
	return (
		<Text wrap="truncate-end">
			{footerEntries(context, columns).map(entry => (
				<Text key={entry.key}>
					<Text color={colour('accent')}>{entry.key}</Text>
					<Text dimColor={dim}> {entry.hint} </Text>
				</Text>
			))}
		</Text>
	);
});
