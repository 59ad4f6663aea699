import {describe, expect, it, vi} from 'vitest';
import {Inputs} from '../../../src/ui/screens/Inputs.js';
import {keys, render, settle, waitUntil} from '../../support/ink.js';

describe('inputs', () => {
	it('asks for an audience, taking an empty one for the access token alone', async () => {
		const onDone = vi.fn();
		const {frame, press, unmount} = await render(
			<Inputs source="adc" label="Application Default Credentials" defaults={{}} onDone={onDone} onBack={() => {}} />,
		);
		expect(frame()).toContain('Audience for the ID token');
		expect(frame()).toContain('Empty (ctrl-u clears the line) or none: the access token alone.');
		for (const character of 'my-service') await press(character);
		await press(keys.enter);
		expect(onDone).toHaveBeenCalledWith({audience: 'my-service', scopes: undefined});
		await unmount();
	});

	it('asks impersonation for a service-account chain in gcloud order, with the demo default kept on enter', async () => {
		const onDone = vi.fn();
		const {frame, press, unmount} = await render(
			<Inputs
				source="impersonate"
				label="Impersonate"
				defaults={{impersonate: ['target@p.iam.gserviceaccount.com'], audience: 'https://a.run.app'}}
				onDone={onDone}
				onBack={() => {}}
			/>,
		);
		expect(frame()).toContain('the last is the target, as in gcloud');
		await press(keys.enter);
		await press(keys.enter);
		expect(onDone).toHaveBeenCalledWith(
			expect.objectContaining({impersonate: ['target@p.iam.gserviceaccount.com'], audience: 'https://a.run.app'}),
		);
		await unmount();
	});
});

describe('inputs: the audience checked as it is typed', () => {
	it('warns under the line while typing, before enter, and the warning follows the text', async () => {
		const onDone = vi.fn();
		const {frame, press, unmount} = await render(<Inputs source="adc" label="ADC" defaults={{}} onDone={onDone} onBack={() => {}} />);
		for (const character of 'https://svc-abc.a.run.app/hello') await press(character);
		expect(onDone).not.toHaveBeenCalled();
		expect(frame()).toContain('⚠ A Cloud Run audience is the service URL without a path: https://svc-abc.a.run.app, not /hello.');
		for (let index = 0; index < '/hello'.length; index++) await press('\u007F');
		expect(frame()).not.toContain('⚠');
		await press(' ');
		expect(frame()).toContain('⚠ The audience contains a space');
		await unmount();
	});

	it('takes enter that came in the same read as the text (a paste ending in a newline) as enter, not as text', async () => {
		const onDone = vi.fn();
		const {press, unmount} = await render(<Inputs source="adc" label="ADC" defaults={{}} onDone={onDone} onBack={() => {}} />);
		await press('https://svc-abc.a.run.app\r');
		expect(onDone).toHaveBeenCalledWith({audience: 'https://svc-abc.a.run.app', scopes: undefined});
		await unmount();
	});

	it('warns about the default that enter would keep, and says nothing for no audience', async () => {
		const {frame, press, unmount} = await render(
			<Inputs source="adc" label="ADC" defaults={{audience: 'http://svc.example.com'}} onDone={() => {}} onBack={() => {}} />,
		);
		expect(frame()).toContain("⚠ The audience uses http://; the service's URL, and so its audience, is https://svc.example.com.");
		await press('\u0015');
		for (const character of 'none') await press(character);
		expect(frame()).not.toContain('⚠');
		await unmount();
	});
});

describe('inputs: scopes and line editing', () => {
	it('offers the access token’s scopes a tab away from the audience, and enter takes both', async () => {
		const onDone = vi.fn();
		const {frame, press, unmount} = await render(
			<Inputs source="metadata" label="Metadata server" defaults={{audience: 'https://a.run.app'}} onDone={onDone} onBack={() => {}} />,
		);
		expect(frame()).toContain('Scopes for the access token (optional)');
		await press(keys.tab);
		for (const character of 'https://www.googleapis.com/auth/devstorage.read_only, openid') await press(character);
		await press(keys.enter);
		expect(onDone).toHaveBeenCalledWith({
			audience: 'https://a.run.app',
			scopes: ['https://www.googleapis.com/auth/devstorage.read_only', 'openid'],
		});
		await unmount();
	});

	it('the suggested audience is in the line: "enter keeps" it only while it is there, and empty means the access token alone', async () => {
		const onDone = vi.fn();
		const {frame, press} = await render(
			<Inputs source="metadata" label="Metadata" defaults={{audience: 'http://127.0.0.1:35099'}} onDone={onDone} onBack={() => {}} />,
		);
		expect(frame()).toContain('❯ http://127.0.0.1:35099');
		expect(frame()).toContain('enter keeps http://127.0.0.1:35099');
		await press('/x');
		expect(frame()).not.toContain('enter keeps');
		await press('\u0015');
		expect(frame()).not.toContain('35099');
		expect(frame()).toContain('empty: no ID token, the access token alone');
		await press(keys.enter);
		expect(onDone).toHaveBeenCalledWith({audience: undefined, scopes: undefined});
	});

	it('ctrl-u clears the line being typed instead of typing a u', async () => {
		const onDone = vi.fn();
		const {frame, press, unmount} = await render(<Inputs source="adc" label="ADC" defaults={{}} onDone={onDone} onBack={() => {}} />);
		for (const character of 'https://wrong.example') await press(character);
		await press('\u0015');
		expect(frame()).not.toContain('wrong.example');
		for (const character of 'https://right.run.app') await press(character);
		await press(keys.enter);
		expect(onDone).toHaveBeenCalledWith({audience: 'https://right.run.app', scopes: undefined});
		await unmount();
	});

	it('asks a pasted token for no scopes', async () => {
		const {frame, unmount} = await render(<Inputs source="paste" label="Paste" defaults={{}} onDone={() => {}} onBack={() => {}} />);
		expect(frame()).not.toContain('Scopes');
		await unmount();
	});
});

describe('inputs: going back', () => {
	it('esc goes back to the sources', async () => {
		const onBack = vi.fn();
		const {press, unmount} = await render(<Inputs source="key-file" label="Key file" defaults={{}} onDone={() => {}} onBack={onBack} />);
		await press(keys.escape);
		// Ink holds a lone escape a moment, in case it starts a longer key sequence.
		await waitUntil(() => expect(onBack).toHaveBeenCalledTimes(1));
		await unmount();
	});

	it('esc on the second input goes back to the first with its value kept', async () => {
		const onBack = vi.fn();
		const {frame, press, unmount} = await render(
			<Inputs source="key-file" label="Key file" defaults={{}} onDone={() => {}} onBack={onBack} />,
		);
		for (const character of '/keys/mine.json') await press(character);
		await press(keys.enter);
		expect(frame()).toContain('Audience for the ID token');
		await press(keys.escape);
		await settle(() => new Promise(resolve => setTimeout(resolve, 100)));
		await press('');
		expect(onBack).not.toHaveBeenCalled();
		expect(frame()).toContain('Service-account key file');
		expect(frame()).toContain('/keys/mine.json');
		await unmount();
	});
});

describe('inputs: the paste field', () => {
	const pasteStart = '\u001B[200~';
	const pasteEnd = '\u001B[201~';
	const jwt = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"sub":"1"}').toString('base64url')}.c2ln`;

	it('takes 256 KiB arriving in 4 KiB reads (no bracketed paste), says how much, and still answers a key', async () => {
		const onDone = vi.fn();
		const {frame, press, unmount} = await render(<Inputs source="paste" label="Paste" defaults={{}} onDone={onDone} onBack={() => {}} />);
		const piece = 'abcdefgh'.repeat(512);
		for (let index = 0; index < 64; index++) await press(piece);
		expect(frame()).toMatch(/pasted 262,144 characters/);
		expect(frame()).not.toContain(piece);
		// Enter is answered: with the one sentence for what no token can be.
		await press(keys.enter);
		expect(onDone).not.toHaveBeenCalled();
		expect(frame()).toContain('The input is 256 KiB, far larger than any token');
		await unmount();
	});

	it('keeps the first 256 KiB of a longer bracketed paste, says what was refused, and a pasted esc, q or newline is text', async () => {
		const onDone = vi.fn();
		const onBack = vi.fn();
		const {frame, press, unmount} = await render(<Inputs source="paste" label="Paste" defaults={{}} onDone={onDone} onBack={onBack} />);
		const hostile = `${jwt}\u001Bq\r\n`;
		const text = hostile + 'x'.repeat(300 * 1024 - hostile.length);
		await press(pasteStart);
		for (let offset = 0; offset < text.length; offset += 16 * 1024) await press(text.slice(offset, offset + 16 * 1024));
		await press(pasteEnd);
		expect(onBack).not.toHaveBeenCalled();
		expect(onDone).not.toHaveBeenCalled();
		expect(frame()).toMatch(/pasted 262,144 characters/);
		expect(frame()).toMatch(/only the first 256 KiB were kept; 45,056 more characters were refused/);
		// The field still answers: ctrl-u clears it, and a token pasted next is taken on enter.
		await press('\u0015');
		expect(frame()).not.toMatch(/pasted \d/);
		await press(`${pasteStart}${jwt}\n${pasteEnd}`);
		expect(frame()).toMatch(/pasted \d+ characters/);
		await press(keys.enter);
		expect(onDone).toHaveBeenCalledWith({token: `${jwt}\n`.trim(), scopes: undefined});
		await unmount();
	});

	it('shows what was pasted terminal-safe: its start and end, never an escape raw', async () => {
		const {frame, press, unmount} = await render(<Inputs source="paste" label="Paste" defaults={{}} onDone={() => {}} onBack={() => {}} />);
		await press(`${pasteStart}eyJ\u001B]52;c;ZXZpbA==\u0007${'a'.repeat(100)}tail\u202E${pasteEnd}`);
		expect(frame()).toContain('eyJ\\u001b]52');
		expect(frame()).toContain('tail\\u202e');
		for (const raw of ['\u0007', '\u202e']) expect(frame()).not.toContain(raw);
		await unmount();
	});
});
