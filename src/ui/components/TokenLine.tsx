import {Box, Text} from 'ink';
import {maskToken} from '../../core/redact.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {chunks} from '../layout.js';
import {dim} from '../theme.js';

/** The revealed token as whole lines of the terminal's width, so its height is known before it is drawn. */
export function TokenLine({
	raw,
	revealed,
	columns,
	loading,
}: {
	raw: string | undefined;
	revealed: boolean;
	columns: number;
	loading: boolean;
}) {
	if (raw && revealed) {
		return (
			<Box flexDirection="column">
				<Text dimColor={dim} wrap="truncate-end">
					token (revealed, {raw.length} chars — v masks it):
				</Text>
				{/* Tokens are checked for their shape before they get here; made terminal-safe anyway, as cheap insurance. */}
				{chunks(terminalSafe(raw), columns).map((line, index) => (
					<Text key={index} wrap="truncate-end">
						{line}
					</Text>
				))}
			</Box>
		);
	}
	return (
		<Text wrap="truncate-end">
			<Text dimColor={dim}>token </Text>
			{raw ? `${maskToken(raw)} — v reveals` : loading ? 'fetching…' : '—'}
		</Text>
	);
}
