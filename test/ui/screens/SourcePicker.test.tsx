import {describe, expect, it, vi} from 'vitest';
import {SourcePicker} from '../../../src/ui/screens/SourcePicker.js';
import {keys, render, settle} from '../../support/ink.js';

const choices = [
	{id: 'adc' as const, label: 'Application Default Credentials'},
	{id: 'metadata' as const, label: 'Metadata server (GCE, GKE, Cloud Run)'},
];

describe('source picker', () => {
	it('draws at once with "checking…", then what was detected, and picks with enter', async () => {
		let answer!: (value: Record<string, string>) => void;
		const detection = new Promise<Record<string, string>>(resolve => (answer = resolve));
		const onPick = vi.fn();
		const {frame, press} = await render(
			<SourcePicker choices={choices} detect={() => detection} onPick={onPick} onQuit={() => {}} banner="DEMO: built-in emulator" />,
		);
		expect(frame()).toContain('DEMO: built-in emulator');
		expect(frame()).toContain('❯ 1. Application Default Credentials');
		expect(frame()).toContain('checking…');
		await settle(async () =>
			answer({adc: 'service_account file from $GOOGLE_APPLICATION_CREDENTIALS', metadata: 'metadata server: not reachable'}),
		);
		expect(frame()).toContain('metadata server: not reachable');
		await press(keys.down);
		expect(frame()).toContain('❯ 2. Metadata server');
		await press(keys.enter);
		expect(onPick).toHaveBeenCalledWith('metadata', 1);
	});

	it('says the demo’s banner whole at 60 columns, in words, and stays within the terminal’s rows', async () => {
		const banner = 'DEMO: tokens from the built-in emulator (no Google account), each living 60 s';
		const {frame} = await render(
			<SourcePicker choices={choices} detect={async () => ({})} onPick={() => {}} onQuit={() => {}} banner={banner} />,
			{columns: 60, rows: 16},
		);
		const lines = frame().split('\n');
		expect(lines.slice(0, 2).join(' ')).toBe(banner);
		expect(lines.length).toBeLessThanOrEqual(16);
	});

	it('answers the keys typed on the live view after s (s3 picks the third line)', async () => {
		const onPick = vi.fn();
		const three = [...choices, {id: 'paste' as const, label: 'Paste a token', note: 'paste any token'}];
		const {frame} = await render(
			<SourcePicker choices={three} detect={async () => ({})} onPick={onPick} onQuit={() => {}} pendingKeys="3" />,
		);
		expect(onPick).toHaveBeenCalledWith('paste', 2);
		expect(frame()).toContain('paste any token');
	});

	it('takes keys typed before it was up as typed here: j and k move the cursor, q quits once', async () => {
		const three = [...choices, {id: 'paste' as const, label: 'Paste a token', note: 'paste any token'}];
		const moved = await render(
			<SourcePicker choices={three} detect={async () => ({})} onPick={vi.fn()} onQuit={vi.fn()} pendingKeys="jj" />,
		);
		expect(moved.frame()).toContain('❯ 3. Paste a token');
		await moved.unmount();
		const onPick = vi.fn();
		const onQuit = vi.fn();
		await render(<SourcePicker choices={three} detect={async () => ({})} onPick={onPick} onQuit={onQuit} pendingKeys="jq2" />);
		expect(onQuit).toHaveBeenCalledTimes(1);
		expect(onPick).not.toHaveBeenCalled();
	});

	it('answers several keys that arrive in one read, one after the other, wrapping at the ends', async () => {
		const onPick = vi.fn();
		const {frame, press} = await render(<SourcePicker choices={choices} detect={async () => ({})} onPick={onPick} onQuit={() => {}} />);
		await press('k');
		expect(frame()).toContain('❯ 2. Metadata server');
		await press('jj');
		expect(frame()).toContain('❯ 2. Metadata server');
		await press('j1');
		expect(onPick).toHaveBeenCalledWith('adc', 0);
	});
});
