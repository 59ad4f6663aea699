// ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC (terminated by BEL or ST), and two-byte escapes.
const escapeSequence = /\u001B(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][\s\S]*?(?:\u0007|\u001B\\|\u009C|$)|[@-Z\\-_]|[ -/]*[0-~]?)/g;
// 8-bit C1 introducers of the same sequences (CSI U+009B, OSC U+009D, DCS U+0090, ...).
const c1Sequence = /[\u009B][0-?]*[ -/]*[@-~]|[\u0090\u0098\u009D\u009E\u009F][\s\S]*?(?:\u0007|\u009C|\u001B\\|$)/g;
// Remaining C0 controls (but \n and \t), DEL, C1 controls, and bidi controls that can reorder what is shown.
const controls = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Makes text from a token or a server safe to print: no escape sequence (OSC 52, screen clears,
 * cursor moves) and no control character can reach the terminal. Newlines survive only when asked.
 */
export function terminalSafe(text: string, options: {newlines?: boolean} = {}): string {
	const stripped = text.replace(escapeSequence, '').replace(c1Sequence, '').replace(/\t/g, ' ').replace(controls, '');
	return options.newlines ? stripped.replace(/\r\n?/g, '\n') : stripped.replace(/[\r\n]+/g, ' ');
}
