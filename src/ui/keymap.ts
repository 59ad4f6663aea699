import stringWidth from 'string-width';
import type {Key} from 'ink';

/** What the live view can do right now: a key for something it cannot do is neither shown nor answered. */
export interface KeyContext {
	/** The source fetches its own tokens (a pasted one is handed over: nothing to refresh, one tab). */
	refreshes: boolean;
	/** Running against the built-in emulator, whose break-it menu is then offered. */
	demo: boolean;
	/** "Try it" can call a service (its service was given). */
	tryIt?: boolean;
}

interface KeyEntry {
	command: string;
	key: string;
	/** The footer's word; absent: the key is in `?` help only. */
	hint?: string;
	help: string;
	when?: (context: KeyContext) => boolean;
}

const refreshing = (context: KeyContext) => context.refreshes;
const inDemo = (context: KeyContext) => context.demo;
const canTry = (context: KeyContext) => Boolean(context.tryIt);

/** Every key of the live view, named once: the input handler, the footer and `?` help all read this list. */
export const liveKeys = [
	{command: 'copyToken', key: 'c', hint: 'copy', help: 'copy the token'},
	{command: 'copyHeader', key: 'h', hint: 'hdr', help: 'copy `Authorization: Bearer …`'},
	{command: 'copyCurl', key: 'u', hint: 'curl', help: 'copy a ready curl command'},
	{command: 'copyClaims', key: 'j', hint: 'json', help: 'copy the claims as JSON'},
	{command: 'refresh', key: 'r', hint: 'refr', help: 'refresh now (also tries again after an error)', when: refreshing},
	{command: 'toggleAuto', key: 'a', hint: 'auto', help: 'auto-refresh on/off', when: refreshing},
	{command: 'switchType', key: 'tab', hint: 'id⇄acc', help: 'switch between the ID token and the access token', when: refreshing},
	{command: 'reveal', key: 'v', hint: 'show', help: 'reveal / mask the token'},
	{
		command: 'details',
		key: 'd',
		hint: 'details',
		help: 'details: the full error and its fix, who is calling and how, the token header, tokeninfo',
	},
	{
		command: 'tryIt',
		key: 'x',
		hint: 'try',
		help: 'try it: call the audience with this token, as `tokscope doctor` does, and say why it is refused (p then probes audiences)',
		when: canTry,
	},
	{command: 'tokenInfo', key: 't', help: 'ask tokeninfo what the access token grants (sends it there; shown in details)'},
	{command: 'wire', key: 'w', hint: 'wire', help: 'the wire: the HTTP exchanges that produced this token (secrets redacted)'},
	{command: 'events', key: 'e', hint: 'events', help: 'the event log, scrollable; enter opens an event in full'},
	{
		command: 'compare',
		key: 'i',
		hint: 'id vs acc',
		help: 'the ID token and the access token compared, from their real values (x there sends both to a service and a Google API)',
	},
	{
		command: 'breakIt',
		key: 'b',
		hint: 'break',
		help: 'demo: make the emulator fail (500, 403, stall, revoked, skew, expiry)',
		when: inDemo,
	},
	{command: 'heal', key: 'H', hint: 'heal', help: 'demo: heal the emulator (undo every breakage)', when: inDemo},
	{command: 'selectUp', key: '↑', help: 'select the claim above (its explanation shows below the table)'},
	{command: 'selectDown', key: '↓', help: 'select the claim below'},
	{command: 'sources', key: 's', hint: 'src', help: 'back to the source picker'},
	{command: 'help', key: '?', hint: 'help', help: 'this help'},
	{command: 'quit', key: 'q', hint: 'quit', help: 'quit'},
] as const satisfies readonly KeyEntry[];

export type LiveCommand = (typeof liveKeys)[number]['command'];

function available(entry: KeyEntry, context: KeyContext): boolean {
	return entry.when?.(context) ?? true;
}

/** The keys offered in this context, for `?` help. */
export function keysFor(context: KeyContext): readonly KeyEntry[] {
	return liveKeys.filter(entry => available(entry, context));
}

export function liveCommandFor(input: string, key: Key, context: KeyContext): LiveCommand | undefined {
	// Ctrl-C and Ctrl-Z arrive as 'c' and 'z' with ctrl: they interrupt and suspend (ui/render.tsx), never copy.
	if (key.ctrl || key.meta) return undefined;
	const name = key.tab ? 'tab' : key.upArrow ? '↑' : key.downArrow ? '↓' : input;
	const entry = (liveKeys as readonly KeyEntry[]).find(candidate => candidate.key === name);
	return entry && available(entry, context) ? (entry.command as LiveCommand) : undefined;
}

/** Which keys the footer keeps when the line is short: what the live view is for first. */
const footerOrder: LiveCommand[] = [
	'copyToken',
	'reveal',
	'details',
	'tryIt',
	'refresh',
	'switchType',
	'breakIt',
	'heal',
	'wire',
	'events',
	'compare',
	'toggleAuto',
	'sources',
	'copyHeader',
	'copyCurl',
	'copyClaims',
];

/**
 * The footer's entries for this width: `?` and `q` always (they lead to everything else), then as many of the others,
 * in the keymap's order, as fit on the one line.
 */
export function footerEntries(context: KeyContext, columns: number): Array<{key: string; hint: string}> {
	const width = (entry: {key: string; hint: string}) => stringWidth(entry.key) + stringWidth(entry.hint) + 2;
	const shown = keysFor(context).filter((entry): entry is KeyEntry & {hint: string} => entry.hint !== undefined);
	const always = shown.filter(entry => entry.command === 'help' || entry.command === 'quit');
	let room = columns - always.reduce((sum, entry) => sum + width(entry), 0);
	const rank = (entry: KeyEntry) => footerOrder.indexOf(entry.command as LiveCommand);
	const fitting = shown
		.filter(entry => !always.includes(entry))
		.sort((a, b) => rank(a) - rank(b))
		.filter(entry => (room -= width(entry)) >= 0);
	// Shown in the keymap's order, whichever fitted.
	return shown.filter(entry => fitting.includes(entry) || always.includes(entry)).map(({key, hint}) => ({key, hint}));
}

/**
 * Keys that arrive in one read (typed fast, or `s3` sent by a script) come as one string: split it into the keys it
 * holds. Escape sequences (arrows) and pasted text longer than a few characters stay whole.
 */
export function splitKeys(input: string): string[] {
	if (input.length <= 1 || input.length > 8 || input.includes('\u001B')) return [input];
	return [...input];
}
