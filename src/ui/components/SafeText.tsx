import {Text} from 'ink';
import {hasHiddenCharacters, terminalSafe} from '../../core/terminal-safe.js';
import {dim} from '../theme.js';

// Text from a token or a server, drawn with its hidden characters visible: terminalSafe writes each as a `\uXXXX`
// escape, and here those escapes are dimmed (plain under NO_COLOR, through the theme) so the reader can tell an escape
// tokscope wrote from the text itself.

/** A doubled backslash (a literal one) or an escape terminalSafe wrote, read left to right as fromVisible reads them. */
const escapeOrBackslash = /\\\\|\\u\{[0-9a-f]{1,6}\}|\\u[0-9a-f]{4}/g;

export interface Segment {
	text: string;
	/** An escape standing for a hidden character. */
	escape: boolean;
}

/** Splits text already made terminal-safe into plain runs and escapes. */
export function segmentsOf(shown: string): Segment[] {
	const segments: Segment[] = [];
	let plain = '';
	let last = 0;
	for (const match of shown.matchAll(escapeOrBackslash)) {
		plain += shown.slice(last, match.index);
		last = match.index + match[0].length;
		if (match[0] === '\\\\') {
			plain += match[0];
			continue;
		}
		if (plain) segments.push({text: plain, escape: false});
		plain = '';
		segments.push({text: match[0], escape: true});
	}
	plain += shown.slice(last);
	if (plain) segments.push({text: plain, escape: false});
	return segments;
}

/** Text already made terminal-safe, its escapes dimmed. */
export function ShownText({shown}: {shown: string}) {
	const segments = segmentsOf(shown);
	if (!segments.some(segment => segment.escape)) return <>{shown}</>;
	return (
		<>
			{segments.map((segment, index) =>
				segment.escape ? (
					<Text key={index} dimColor={dim}>
						{segment.text}
					</Text>
				) : (
					segment.text
				),
			)}
		</>
	);
}

/** Raw text from a token or a server, made terminal-safe, its escapes dimmed. */
export function SafeText({text}: {text: string}) {
	return <ShownText shown={terminalSafe(text)} />;
}

/** Whether a claim's value (or any string or key inside it, to a bounded depth) holds a hidden character. */
export function holdsHidden(value: unknown, depth = 0): boolean {
	if (typeof value === 'string') return hasHiddenCharacters(value);
	if (depth >= 64 || value === null || typeof value !== 'object') return false;
	if (Array.isArray(value)) return value.some(item => holdsHidden(item, depth + 1));
	return Object.entries(value).some(([key, item]) => hasHiddenCharacters(key) || holdsHidden(item, depth + 1));
}
