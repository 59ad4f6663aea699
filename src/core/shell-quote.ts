// Quoting for POSIX shells (sh, bash, zsh), written here rather than taken from a package: single quotes make every
// character literal except the quote itself, which is closed, escaped and reopened ('\''). That is the whole of it,
// and a dependency for three lines would be one more thing to audit. No value is ever left unquoted, so nothing in
// it ($(…), backticks, ;, globs, a leading -) is read by the shell.

/** One shell word that the shell reads back as exactly `value`. */
export function shellQuote(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}
