export type CopyWay = 'system' | 'osc52' | 'osc52-tmux' | 'osc52-screen';

export interface CopyResult {
	way: CopyWay;
	/** Why this way was taken when it was not the first choice, e.g. "no system clipboard here". */
	note?: string;
}

const wayNames: Record<CopyWay, string> = {
	system: 'to the system clipboard',
	osc52: 'via OSC 52',
	'osc52-tmux': 'via OSC 52 through tmux',
	'osc52-screen': 'via OSC 52 through screen',
};

/** "Copied the ID token via OSC 52 through tmux." — names what was copied, never shows it; notes go in one parenthesis. */
export function describeCopy(what: string, result: CopyResult, ...moreNotes: string[]): string {
	const notes = [result.note, ...moreNotes].filter(Boolean).join('; ');
	return `Copied ${what} ${wayNames[result.way]}${notes ? ` (${notes})` : ''}.`;
}
