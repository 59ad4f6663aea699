import {Box, Text} from 'ink';
import {colour} from '../theme.js';

const rows: Array<[string, string, string]> = [
	['format', 'signed JWT: anyone can read it', 'opaque string (ya29.…)'],
	['says', 'who the caller is', 'what the caller may do'],
	['scoped by', 'one audience (aud)', 'OAuth scopes'],
	['checked by', 'the receiver, with Google’s keys', 'Google, on each API call'],
	['send it to', 'your service: Cloud Run, IAP', 'Google APIs'],
	['lifetime', 'about 1 hour', 'about 1 hour'],
];

/** ID token vs access token, side by side: the difference people most often get wrong (a 401 from Cloud Run). */
export function ComparePanel({active}: {active: 'id' | 'access'}) {
	return (
		<Box flexDirection="column">
			<Box>
				<Box width={12} />
				<Box width={34}>
					<Text bold color={active === 'id' ? colour('accent') : undefined}>ID token</Text>
				</Box>
				<Text bold color={active === 'access' ? colour('accent') : undefined}>access token</Text>
			</Box>
			{rows.map(([label, id, access]) => (
				<Box key={label}>
					<Box width={12}>
						<Text color={colour('muted')}>{label}</Text>
					</Box>
					<Box width={34}>
						<Text>{id}</Text>
					</Box>
					<Text>{access}</Text>
				</Box>
			))}
		</Box>
	);
}
