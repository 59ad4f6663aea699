import {terminalSafe} from '../../core/terminal-safe.js';
import {fitColumns} from '../layout.js';
import {formatLocalTime} from '../../core/times.js';
import {keysFor, type KeyContext} from '../keymap.js';
import type {DemoControls, WireExchange} from '../services.js';
import type {PaneLine} from './details.js';

// The smaller panes' text: the wire, the help and the demo's break-it menu.

/** The HTTP exchanges behind one token, as a teacher would walk through them. */
export function wireLines(exchanges: WireExchange[] | undefined, what: string): PaneLine[] {
	if (!exchanges) return [{text: 'The wire is not recorded in this view.', meaning: 'muted'}];
	if (exchanges.length === 0) {
		return [{text: `No HTTP exchange was recorded for ${what} (a token handed over, or one the source had cached).`, meaning: 'muted'}];
	}
	const count = `${exchanges.length} exchange${exchanges.length === 1 ? '' : 's'}`;
	const lines: PaneLine[] = [{text: `${count} produced ${what}; secrets are shown as [redacted].`, meaning: 'muted'}];
	for (const exchange of exchanges) {
		const outcome = exchange.error ? `failed: ${exchange.error}` : `HTTP ${exchange.status ?? '?'}`;
		const latency = exchange.latencyMs === undefined ? '' : ` in ${exchange.latencyMs} ms`;
		const time = formatLocalTime(exchange.startedAt).slice(11);
		lines.push({text: ''}, {text: `${time} ${exchange.method} ${exchange.url}`, bold: true, indent: 2});
		lines.push({text: `→ ${outcome}${latency}`, meaning: exchange.error || (exchange.status ?? 0) >= 400 ? 'error' : 'valid', indent: 2});
		for (const header of exchange.requestHeaders) lines.push({text: `> ${header}`, meaning: 'muted', indent: 4});
		if (exchange.requestBody) lines.push({text: `> ${exchange.requestBody}`, indent: 4});
		if (exchange.responseBody) lines.push({text: `< ${exchange.responseBody}`, indent: 4});
	}
	return lines.map(line => ({...line, text: terminalSafe(line.text)}));
}

export function helpLines(context: KeyContext): PaneLine[] {
	// The key in a column of its own (measured in terminal columns); a long entry wraps beside it, in whole words.
	const keys = keysFor(context).map(entry => ({text: `${fitColumns(entry.key, keyColumns)}${entry.help}`, indent: 2, hang: keyColumns}));
	const panes = [
		{text: 'In a pane: ↑/↓ and PgUp/PgDn scroll, esc closes it, q quits.', meaning: 'muted' as const},
		...(context.tryIt
			? [
					{
						text:
							'In try it (x): p probes which audience the service accepts, then m mints the ID token for it and goes ' +
							'live with it; x calls again, u calls another URL.',
						meaning: 'muted' as const,
					},
				]
			: []),
		{
			text: 'In the comparison (i): x sends both tokens to a service and a Google API, t asks tokeninfo about the access token.',
			meaning: 'muted' as const,
		},
		...(context.refreshes ? [] : [{text: 'A pasted token is shown as it is: never refreshed, one tab.', meaning: 'muted' as const}]),
	];
	return [...keys, {text: ''}, ...panes];
}

const keyColumns = 6;

export function breakLines(demo: DemoControls): PaneLine[] {
	const broken = demo.broken();
	return [
		{text: 'Make the emulator fail, then watch the live view: STALE, backoff, the 403 hint, recovery.', meaning: 'muted'},
		{text: ''},
		...demo.menu.flatMap((entry, index) => [
			{text: `${index + 1}  ${entry.label}`, bold: true, indent: 3},
			{text: entry.explains, meaning: 'muted' as const, indent: 6},
			...(entry.affects ? [{text: entry.affects, meaning: 'muted' as const, indent: 6}] : []),
		]),
		{text: ''},
		{text: 'H  heal: undo every breakage', bold: true, indent: 3},
		{text: ''},
		{text: broken.length ? `Broken now: ${broken.join(', ')}.` : 'Nothing is broken now.', meaning: broken.length ? 'warning' : 'valid'},
		...serviceLines(demo.services ?? []),
	];
}

/** The emulator's services: what try it (x, then u for another URL) can call, each with the token it accepts. */
function serviceLines(services: NonNullable<DemoControls['services']>): PaneLine[] {
	if (services.length === 0) return [];
	return [
		{text: ''},
		{text: 'The emulator’s services, to call with x (u: another URL; an ID token for the audience named):', meaning: 'muted'},
		...services.flatMap(service => [
			{text: `${service.label}  ${service.url}`, bold: true, indent: 3},
			{text: service.wants, meaning: 'muted' as const, indent: 6},
		]),
	];
}
