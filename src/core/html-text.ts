// The text a browser would show for a server's HTML page: Google's error pages say what went wrong in their headings
// and paragraphs, wrapped in markup and entities. Pure; the result is not yet terminal-safe.

const named: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' '};

/** `&amp;`, `&#39;`, `&#x2019;` as the characters they stand for; an unknown entity stays as it is. */
export function unescapeHtml(text: string): string {
	return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (match, entity: string) => {
		if (/^#x/i.test(entity)) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16) % 0x110000);
		if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)) % 0x110000);
		return named[entity.toLowerCase()] ?? match;
	});
}

/** Whether the text is an HTML page or fragment rather than prose that mentions a tag. */
export const looksLikeHtml = (text: string) => /^\s*(<!doctype html|<html|<head|<body|<h1|<p>|<a )/i.test(text);

/**
 * The visible text of an HTML page: the title, scripts and styles dropped, each block element on its own line,
 * entities resolved, runs of spaces collapsed. Linear in the length of the page (no nested quantifiers).
 */
export function htmlText(html: string): string {
	return unescapeHtml(
		html
			.replace(/<(title|style|script)\b[^>]*>[^<]*<\/\1>/gi, '')
			.replace(/<\/?(h\d|p|br|div|title|li|tr)\b[^>]*>/gi, '\n')
			.replace(/<[^>]*>/g, ''),
	)
		.split('\n')
		.map(line => line.replace(/[ \t]+/g, ' ').trim())
		.filter(Boolean)
		.join('\n');
}
