import {describe, expect, it} from 'vitest';
import {Inputs} from '../../src/ui/screens/Inputs.js';
import {render} from '../support/ink.js';

// What a hostile value typed or passed on the command line looks like on the TUI's screens: visible, never raw.

describe('the inputs screen', () => {
	it('echoes an --audience holding escapes visibly, not as escapes the terminal acts on', async () => {
		const audience = 'https://x\u001B[2J\u001B]8;;https://evil.example\u0007.run.app';
		const {frame, unmount} = await render(
			<Inputs source="metadata" label="Metadata server" defaults={{audience}} onDone={() => {}} onBack={() => {}} />,
		);
		expect(frame()).toContain('enter keeps https://x\\u001b[2J\\u001b]8;;https://evil.example\\u0007.run.app');
		expect(frame()).not.toContain('\u001B[2J');
		expect(frame()).not.toContain('\u001B]8');
		await unmount();
	});
});
