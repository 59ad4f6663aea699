import {afterEach, describe, expect, it} from 'vitest';
import {cli, hasTmux, Tmux} from '../support/tmux.js';

// The comparison (i) in the built demo, in a real terminal: as the README's capture shows it.

describe.skipIf(!hasTmux)('the comparison in the demo (tmux)', () => {
	let tmux: Tmux | undefined;
	afterEach(() => tmux?.kill());

	for (const [width, height] of [
		[80, 24],
		[120, 40],
	] as const) {
		it(`at ${width}×${height}: the two tokens' real values, then x: each accepted at one target and refused at the other`, async () => {
			tmux = new Tmux(`${cli} --demo`, {width, height});
			await tmux.waitFor(/Pick a credential source/);
			tmux.keys('Enter');
			await tmux.waitFor(/enter keeps http:\/\/127/);
			tmux.keys('Enter');
			await tmux.waitFor(/✓ valid/);
			tmux.keys('i');
			// The demo's tokens live 60 s: the comparison says so, from iat and exp.
			await tmux.waitFor(/lifetime {4}1m 00s: iat \d\d:\d\d:\d\d → exp/);
			await tmux.waitFor(/opaque, \d+ chars \(ya29\.…\): nothing in it to decode/);
			tmux.keys('x');
			// Stacked, each token has its Google API row; side by side, one row holds both verdicts.
			const both = width >= 100 ? /Google API {2}✗ refused.* ✓ accepted/ : /Google API {2}(✓|✗)[\s\S]*Google API {2}(✓|✗)/;
			const screen = await tmux.waitFor(both);
			if (width >= 100) {
				expect(screen).toMatch(/^Cloud Run {3}✓ accepted \(HTTP 200\) +✗ refused \(HTTP 401\): Cloud Run wants an OpenID/m);
				expect(screen).toMatch(/^Google API {2}✗ refused \(HTTP 401\): Google APIs want an OAuth 2 +✓ accepted \(HTTP 200\)$/m);
			} else {
				const said = screen.replaceAll(/\s+/g, ' ');
				expect(said).toContain('Google APIs want an OAuth 2 access token, but an ID token was sent.');
				expect(said).toContain('Cloud Run wants an OpenID Connect ID token, but an OAuth access token');
			}
			expect(screen.match(/✓ accepted \(HTTP 200\)/g)).toHaveLength(2);
			const rows = screen.replace(/\n$/, '').split('\n');
			expect(rows).toHaveLength(height);
			expect(rows[0]).toMatch(/^ID token vs access token/);
			expect(rows.every(row => row.length <= width)).toBe(true);
			if (width >= 100) expect(screen).toMatch(/^ {12}ID token {3,}access token$/m);
			else expect(screen).not.toMatch(/of \d+, ↑\/↓/);
			tmux.keys('q');
		}, 30_000);
	}
});
