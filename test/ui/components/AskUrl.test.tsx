import {describe, expect, it, vi} from 'vitest';
import {AskUrl} from '../../../src/ui/components/AskUrl.js';
import {keys, render} from '../../support/ink.js';

// The try-it URL field: the same editing keys as every other text field (TextField, line-edit.ts).

async function askUrl(prefill: string) {
	const onSubmit = vi.fn<(typed: string) => void>();
	const view = await render(
		<AskUrl title="Try it" why="Type the URL." prefill={prefill} rows={10} columns={80} onSubmit={onSubmit} onCancel={() => {}} />,
	);
	return {...view, onSubmit};
}

describe('the try-it URL field', () => {
	it('ctrl-u clears the prefilled URL instead of typing a u into it', async () => {
		const {frame, press, onSubmit} = await askUrl('http://127.0.0.1:35099');
		await press('\u0015');
		expect(frame()).not.toContain('35099');
		await press('https://svc-abc123-uc.a.run.app');
		await press(keys.enter);
		expect(onSubmit).toHaveBeenCalledWith('https://svc-abc123-uc.a.run.app');
	});

	it('edits the URL where the cursor is: ← and backspace, ctrl-a, ctrl-e', async () => {
		const {press, onSubmit} = await askUrl('http://127.0.0.1:35099/x');
		await press('\u001B[D');
		await press('\u007F');
		await press('\u0001');
		await press('\u0005');
		await press('y');
		await press(keys.enter);
		expect(onSubmit).toHaveBeenCalledWith('http://127.0.0.1:35099xy');
	});

	it('takes a pasted URL ending in a newline as the URL and enter', async () => {
		const {press, onSubmit} = await askUrl('');
		await press('https://svc-abc123-uc.a.run.app/\r');
		expect(onSubmit).toHaveBeenCalledExactlyOnceWith('https://svc-abc123-uc.a.run.app/');
	});
});
