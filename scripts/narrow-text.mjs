// Characters that are one terminal column each and never join their neighbours into a wider cluster: printable
// ASCII, Latin-1 and Latin Extended letters, general punctuation (·, —, …, ’), arrows (⇄) and the box-drawing and
// block characters of the live view's bar (█, ░), and the few symbols the UI draws (− ⚠ ✓ ✗ ❯).
// test/build/narrow-text.test.ts checks every one of them, and strings of them, against string-width itself.
export const narrowText =
	/^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2212\u2500-\u259F\u26A0\u2713\u2717\u276F]*$/;

/**
 * Narrow text with line feeds and escape sequences, as Ink's frames hold it: every code unit is a grapheme cluster
 * of its own (ESC and LF are controls, which never join a cluster; CR, which joins LF, is not in the set).
 */
export const narrowTerminalText = new RegExp(narrowText.source.replace('^[', '^[\\n\\x1b'));
