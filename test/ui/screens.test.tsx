import {describe, expect, it, vi} from 'vitest';
import {SourcePicker} from '../../src/ui/screens/SourcePicker.js';
import {flush, keys, render} from '../support/ink.js';

const choices = [
	{id: 'adc' as const, label: 'Application Default Credentials'},
	{id: 'metadata' as const, label: 'Metadata server (GCE, GKE, Cloud Run)'},
];

describe('source picker', () => {
	it('draws at once with "checking…", then what was detected, and picks with enter', async () => {
		let answer!: (value: Record<string, string>) => void;
		const detection = new Promise<Record<string, string>>(resolve => (answer = resolve));
		const onPick = vi.fn();
		const {frame, press, unmount} = await render(
			<SourcePicker choices={choices} detect={() => detection} onPick={onPick} onQuit={() => {}} banner="DEMO: built-in emulator" />,
		);
		expect(frame()).toContain('DEMO: built-in emulator');
		expect(frame()).toContain('❯ 1. Application Default Credentials');
		expect(frame()).toContain('checking…');
		answer({adc: 'service_account file from $GOOGLE_APPLICATION_CREDENTIALS', metadata: 'metadata server: not reachable'});
		await flush();
		await new Promise(resolve => setTimeout(resolve, 10));
		await flush();
		expect(frame()).toContain('metadata server: not reachable');
		await press(keys.down);
		expect(frame()).toContain('❯ 2. Metadata server');
		await press(keys.enter);
		expect(onPick).toHaveBeenCalledWith('metadata', 1);
		await unmount();
	});

	it('answers the keys typed on the live view after s (s3 picks the third line)', async () => {
		const onPick = vi.fn();
		const three = [...choices, {id: 'paste' as const, label: 'Paste a token', note: 'paste any token'}];
		const {frame, unmount} = await render(
			<SourcePicker choices={three} detect={async () => ({})} onPick={onPick} onQuit={() => {}} pendingKeys="3" />,
		);
		expect(onPick).toHaveBeenCalledWith('paste', 2);
		expect(frame()).toContain('paste any token');
		await unmount();
	});
});
