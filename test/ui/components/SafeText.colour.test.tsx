import {afterEach, describe, expect, it, vi} from 'vitest';

// Colour is decided when Ink's chalk loads: forced on before any import, so the dimming itself can be seen.
vi.hoisted(() => {
	process.env.FORCE_COLOR = '1';
});

async function draw(text: string): Promise<string> {
	// theme.ts reads NO_COLOR when it loads: a fresh copy per test.
	vi.resetModules();
	const [{Text}, {SafeText}, {render}] = await Promise.all([
		import('ink'),
		import('../../../src/ui/components/SafeText.js'),
		import('../../support/ink.js'),
	]);
	const view = await render(
		<Text>
			<SafeText text={text} />
		</Text>,
	);
	const frame = view.frame();
	await view.unmount();
	return frame;
}

afterEach(() => {
	vi.unstubAllEnvs();
});

describe('hidden characters, through the theme', () => {
	it('dims the escapes tokscope writes, and nothing else', async () => {
		expect(await draw('a\u001b[2Jb')).toBe('a\u001b[2m\\u001b\u001b[22m[2Jb');
	});

	it('under NO_COLOR shows them plain (still visible as escapes)', async () => {
		vi.stubEnv('NO_COLOR', '1');
		expect(await draw('a\u001b[2Jb')).toBe('a\\u001b[2Jb');
	});
});
