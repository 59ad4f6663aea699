/**
 * A value quoted for a POSIX shell, so a fix can be pasted as it is: left bare when it holds only characters no shell
 * treats specially, else in single quotes (a quote inside written as '\'').
 */
export function shellQuote(value: string): string {
	if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
	return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line from its words, each quoted as needed. */
export function command(...words: string[]): string {
	return words.map(shellQuote).join(' ');
}
