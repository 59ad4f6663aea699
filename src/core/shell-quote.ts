// Quoting for POSIX shells (sh, bash, zsh), written here rather than taken from a package: single quotes make every
// character literal except the quote itself, which is closed, escaped and reopened ('\''). That is the whole of it,
// and a dependency for a few lines would be one more thing to audit. A word of only characters no shell treats
// specially is left bare, so a fix command reads as a person would type it; anything else ($(…), backticks, ;, globs,
// spaces, quotes) is quoted, so the shell hands the program exactly the value.

/** One shell word that the shell reads back as exactly `value`. */
export function shellQuote(value: string): string {
	if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
	return singleQuoted(value);
}

function singleQuoted(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A command line from its words, each quoted as needed. */
export function command(...words: string[]): string {
	return words.map(shellQuote).join(' ');
}

/**
 * `export NAME='value'` for POSIX shells, the value quoted even where it needs no quotes: a line people copy and later
 * edit, whose value stays one word whatever they change it to.
 */
export function exportLine(name: string, value: string): string {
	return `export ${name}=${singleQuoted(value)}`;
}
