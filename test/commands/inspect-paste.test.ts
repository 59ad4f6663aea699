import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {cli, hasTmux, Tmux} from '../support/tmux.js';

// `inspect -` on a real terminal: the token is pasted, never put on the command line (where the process list shows it).
const a1 = JSON.parse(readFileSync(resolve('test/fixtures/rfc/rfc7515-A.1-HS256.json'), 'utf8')) as {token: string; key: {k: string}};

describe.skipIf(!hasTmux || !existsSync(resolve('dist/cli.js')))('inspect - on a terminal (tmux)', () => {
	let tmux: Tmux | undefined;
	let dir: string | undefined;
	afterEach(async () => {
		await tmux?.kill();
		if (dir) rmSync(dir, {recursive: true, force: true});
	});

	it('prompts on stderr, reads the paste without echoing it until Ctrl-D, then inspects it', async () => {
		dir = mkdtempSync(join(tmpdir(), 'tokscope-paste-'));
		const secret = join(dir, 'a1.secret');
		writeFileSync(secret, a1.key.k);
		tmux = new Tmux(`sh -c '${cli} inspect - --secret-file ${secret} --secret-encoding base64 --at 2011-03-22T18:00:00Z; echo "exit=$?"'`, {
			width: 120,
			height: 40,
		});
		await tmux.waitFor(/Paste the token, then press Ctrl-D \(it is not shown; Ctrl-C cancels\):/);
		// Pasted in two pieces with a line break, as a wrapped copy from a browser would arrive.
		const middle = a1.token.indexOf('.') + 20;
		tmux.type(a1.token.slice(0, middle));
		tmux.keys('Enter');
		tmux.type(a1.token.slice(middle));
		// The count includes the line break between the two pieces.
		await tmux.waitFor(new RegExp(`: ${a1.token.length + 1} characters`));
		expect(tmux.screen()).not.toContain(a1.token.slice(0, 30));
		tmux.keys('C-d');
		const screen = await tmux.waitFor(/exit=0/);
		expect(screen).toMatch(/^JWT — a signed JWT/m);
		// The two pieces were joined: the signature over them checks out.
		expect(screen).toMatch(/signature\s+✓ valid — Signature verified with the shared secret you gave\./);
		expect(screen).toMatch(/iss\s+joe/);
		expect(screen).toMatch(/expires\s+2011-03-22 \d\d:\d\d:\d\d \(in 43m 00s\)/);
		// The token itself never reached the screen (nor, so, the scrollback).
		expect(screen).not.toContain(a1.token.slice(0, 30));
	});

	it('Ctrl-C cancels with status 130 and leaves the terminal as it was', async () => {
		tmux = new Tmux(`sh -c '${cli} inspect -; echo "exit=$?"; stty -a | grep -o -- "-\\?icanon" | head -1'`, {width: 120});
		await tmux.waitFor(/Paste the token/);
		tmux.type('eyJhbGci');
		tmux.keys('C-c');
		const screen = await tmux.waitFor(/exit=130\s+icanon/);
		expect(screen).not.toContain('-icanon');
	});
});
