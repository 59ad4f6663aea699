import type {Key} from 'ink';

/** Every key of the live view, named once: the input handler and the footer/help both read this list. */
export const liveKeys = [
	{command: 'copyToken', key: 'c', hint: 'copy', help: 'copy the token'},
	{command: 'copyHeader', key: 'h', hint: 'hdr', help: 'copy `Authorization: Bearer …`'},
	{command: 'copyCurl', key: 'u', hint: 'curl', help: 'copy a ready curl command'},
	{command: 'copyClaims', key: 'j', hint: 'json', help: 'copy the claims as JSON'},
	{command: 'refresh', key: 'r', hint: 'refr', help: 'refresh now'},
	{command: 'toggleAuto', key: 'a', hint: 'auto', help: 'auto-refresh on/off'},
	{command: 'switchType', key: 'tab', hint: 'id⇄acc', help: 'switch between the ID token and the access token'},
	{command: 'reveal', key: 'v', hint: 'show', help: 'reveal / mask the token'},
	{command: 'sources', key: 's', hint: 'src', help: 'back to the source picker'},
	{command: 'help', key: '?', hint: 'help', help: 'this help'},
	{command: 'quit', key: 'q', hint: 'quit', help: 'quit'},
] as const;

export type LiveCommand = (typeof liveKeys)[number]['command'];

export function liveCommandFor(input: string, key: Key): LiveCommand | undefined {
	if (key.tab) return 'switchType';
	// Ctrl-C and Ctrl-Z arrive as 'c' and 'z' with ctrl: they interrupt and suspend (ui/render.tsx), never copy.
	if (key.ctrl || key.meta) return undefined;
	return liveKeys.find(entry => entry.key === input)?.command;
}
