// What a user can ask of the clipboard on the command line, in a module of its own: cli.ts reads it at start-up
// without loading the clipboard code.

/** auto: OSC 52 over SSH or without a display, else the system clipboard. */
export const clipboardModes = ['auto', 'osc52', 'system'] as const;
export type ClipboardMode = (typeof clipboardModes)[number];

/** The longest --clear-clipboard wait (a day; the command line refuses more): setTimeout would overflow long before 1e10 s. */
export const maxClearSeconds = 86_400;
