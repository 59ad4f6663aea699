import {act} from 'react';
import {describe, expect, it} from 'vitest';
import {App, type AppServices} from '../../src/ui/App.js';
import {flush, keys, render} from '../support/ink.js';

// The demo's picker is drawn before its emulator listens: what it needs to know later (the Cloud Run stand-in's URL as
// the audience to suggest) arrives in `later`, and a line picked before then opens once it has.

function servicesWithLater(later: Promise<Pick<AppServices, 'defaults' | 'live'>>): AppServices {
	return {
		createSource: () => {
			throw new Error('no source is made in this test');
		},
		detectSources: async () => ({}),
		verify: async () => ({status: 'unverified', code: 'not-checked', reason: 'Not checked in this test.'}),
		copy: async () => 'Copied.',
		now: () => new Date(),
		defaults: {},
		later,
	};
}

describe('the app, with services that arrive after the first frame', () => {
	it('draws the picker at once, and opens a line picked meanwhile with the defaults that arrive later', async () => {
		let arrive!: (part: Pick<AppServices, 'defaults' | 'live'>) => void;
		const later = new Promise<Pick<AppServices, 'defaults' | 'live'>>(resolve => (arrive = resolve));
		const {frame, press, unmount} = await render(<App services={servicesWithLater(later)} initial={{name: 'sources'}} />);
		expect(frame()).toContain('Pick a credential source');
		await press('2');
		// Held: the audience to suggest is not known yet.
		expect(frame()).toContain('Pick a credential source');
		await act(async () => arrive({defaults: {audience: 'http://127.0.0.1:9/'}}));
		await flush();
		expect(frame()).toContain('enter keeps http://127.0.0.1:9/');
		await press(keys.escape);
		await press('2');
		expect(frame()).toContain('enter keeps http://127.0.0.1:9/');
		await unmount();
	});

	it('opens a held line all the same when what was awaited failed', async () => {
		const {frame, press, unmount} = await render(
			<App services={servicesWithLater(Promise.reject(new Error('the emulator could not start')))} initial={{name: 'sources'}} />,
		);
		await press('2');
		await flush();
		expect(frame()).not.toContain('Pick a credential source');
		await unmount();
	});
});
