import {decodeJwt} from 'jose';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSshd, sshUnavailable, type Sshd} from '../support/sshd.js';
import {cli, hasTmux, shellQuote, Tmux} from '../support/tmux.js';

const unavailable = hasTmux ? sshUnavailable() : 'tmux is not installed';
if (unavailable) console.warn(`SKIPPED: the SSH copy test needs a real sshd, but ${unavailable}.`);

describe.skipIf(Boolean(unavailable))('copy over a real SSH hop', () => {
	let sshd: Sshd;
	let tmux: Tmux | undefined;
	beforeAll(async () => {
		sshd = await startSshd();
	});
	afterAll(async () => {
		tmux?.kill();
		await sshd?.stop();
	});

	it('carries the token from the remote TUI back to the local terminal through OSC 52', async () => {
		const remote = `cd ${shellQuote(process.cwd())} && ${cli} --demo --source metadata --audience https://ssh-hop.run.app`;
		tmux = new Tmux(`${sshd.sshCommand} ${shellQuote(remote)}`);
		await tmux.waitFor(/aud\s+https:\/\/ssh-hop\.run\.app/, 20_000);
		tmux.keys('c');
		await tmux.waitFor(/Copied the ID token via OSC 52\./);
		const copied = tmux.buffer();
		expect(decodeJwt(copied)).toMatchObject({aud: 'https://ssh-hop.run.app'});
		tmux.keys('q');
	}, 40_000);
});
