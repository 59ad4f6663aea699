// Components ask for a meaning; this one file maps meaning to colour, and honours NO_COLOR once, here.
const noColor = 'NO_COLOR' in process.env && process.env.NO_COLOR !== '';

const palette = {
	valid: 'green',
	invalid: 'red',
	unverified: 'yellow',
	fresh: 'green',
	expiring: 'yellow',
	critical: 'red',
	stale: 'magenta',
	accent: 'cyan',
	muted: 'gray',
	warning: 'yellow',
	error: 'red',
	demo: 'magenta',
} as const;

export type Meaning = keyof typeof palette;

/** The colour for a meaning, or undefined under NO_COLOR (Ink then prints plain text). */
export function colour(meaning: Meaning): string | undefined {
	return noColor ? undefined : palette[meaning];
}

/** Under NO_COLOR, dim text would be invisible meaning too: keep it plain. */
export const dim = !noColor;

/** Green → yellow → red as the share of lifetime used grows. */
export function lifetimeMeaning(usedShare: number): Meaning {
	if (usedShare >= 0.9) return 'critical';
	if (usedShare >= 0.7) return 'expiring';
	return 'fresh';
}
