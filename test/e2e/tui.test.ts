import {afterEach, describe, expect, it, vi} from 'vitest';
import {decodeJwt} from 'jose';
import {cli, hasTmux, Tmux} from '../support/tmux.js';

if (!hasTmux) console.warn('SKIPPED: tmux is not installed, so the end-to-end TUI tests cannot run.');

describe.skipIf(!hasTmux)('the built TUI in a real terminal (tmux, 80×24)', () => {
	let tmux: Tmux | undefined;
	afterEach(() => tmux?.kill());

	it('picks the demo source, shows claims, refreshes on its own, and answers every key', async () => {
		tmux = new Tmux(`${cli} --demo`, {env: {TOKSCOPE_DEMO_LIFETIME: '20'}});
		await tmux.waitFor(/Pick a credential source[\s\S]*service_account file from \$GOOGLE_APPLICATION_CREDENTIALS/);
		tmux.keys('Enter');
		await tmux.waitFor(/Audience for the ID token/);
		// The suggested audience is in the line: ctrl-u clears it (never typing a u), and the typed one is taken.
		tmux.keys('C-u');
		await tmux.waitFor(/empty: no ID token, the access token alone/);
		tmux.type('https://e2e-check.a.run.app');
		tmux.keys('Enter');
		let screen = await tmux.waitFor(/✓ valid[\s\S]*aud\s+https:\/\/e2e-check\.a\.run\.app/);
		expect(screen.split('\n')[0]).toMatch(/^tokscope · /);
		expect(screen).toMatch(/expires in 1\ds/);
		expect(screen).toMatch(/ID fetched in \d+ ms/);
		expect(screen).toMatch(/masked\) — v reveals/);

		screen = await tmux.waitFor(/ID refreshed ahead of expiry/, 25_000);
		expect(screen.match(/ID refreshed/g)).toHaveLength(1);

		tmux.keys('c');
		await tmux.waitFor(/Copied the ID token via OSC 52/);
		const copied = tmux.buffer();
		expect(decodeJwt(copied).aud).toBe('https://e2e-check.a.run.app');

		tmux.keys('v');
		await tmux.waitFor(new RegExp(`token \\(revealed[^\\n]*\\n${copied.slice(0, 80).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
		tmux.keys('v');

		tmux.keys('Tab');
		screen = await tmux.waitFor(/\[access token\][\s\S]*access fetched/);
		expect(screen).toContain('Google access token (opaque)');

		tmux.keys('?');
		await tmux.waitFor(/Keys[\s\S]*copy the token/);
		tmux.keys('NPage');
		tmux.keys('NPage');
		await tmux.waitFor(/In the comparison \(i\): x sends both tokens/);
		tmux.keys('Escape');
		await tmux.waitFor(/events \(e shows them all\)/);

		tmux.keys('a');
		await tmux.waitFor(/Auto-refresh off/);
		tmux.keys('s');
		await tmux.waitFor(/Pick a credential source/);
		tmux.keys('q');
		await tmux.waitFor(/^\s*$/, 5000).catch(() => undefined);
	}, 60_000);

	it('takes a large paste as text (its esc and q too), says what it kept, and answers keys after', async () => {
		tmux = new Tmux(`${cli} --source paste`);
		await tmux.waitFor(/Paste any token\./);
		const pid = tmux.pid();
		// Were it keys, the ESC would leave for the source picker and the q would quit there.
		tmux.paste(`x\u001Bq\u001B[2J${'a'.repeat(300 * 1024)}`);
		const screen = await tmux.waitFor(/only the first 256 KiB were kept; [\d,]+ more characters were refused/, 20_000);
		expect(screen).toMatch(/pasted 262,144 characters: x\\u001bq\\u001b\[2Jaaa/);
		tmux.keys('C-u');
		await tmux.waitFor(/paste the token here/);
		const jwt = ['{"alg":"RS256","typ":"JWT"}', '{"sub":"pasted-in-tmux","aud":"x"}']
			.map(part => Buffer.from(part).toString('base64url'))
			.join('.');
		tmux.paste(`${jwt}.c2ln`);
		await tmux.waitFor(/pasted \d+ characters/);
		tmux.keys('Enter');
		await tmux.waitFor(/sub\s+pasted-in-tmux/);
		tmux.keys('q');
		await vi.waitFor(() => expect(() => process.kill(pid, 0)).toThrow(), {timeout: 5000});
	}, 60_000);

	it('says so when the terminal is too small, and recovers when it grows', async () => {
		tmux = new Tmux(`${cli} --demo --source metadata --audience https://small.run.app`, {width: 50, height: 12});
		await tmux.waitFor(/needs at least\s+60×16/);
		tmux.resize(80, 24);
		await tmux.waitFor(/aud\s+https:\/\/small\.run\.app/);
	}, 30_000);
});
