import {decodeJwt} from 'jose';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startSshd, sshUnavailable, type Sshd} from '../support/sshd.js';
import {cli, hasTmux, shellQuote, Tmux} from '../support/tmux.js';

// Never skipped silently: the reason is printed, and the test is reported as skipped with it.
let unavailable = hasTmux ? sshUnavailable() : 'tmux is not installed';
if (unavailable) console.warn(`SKIPPED: the SSH copy tests need a real sshd, but ${unavailable}.`);

/** The token the live view shows after `v`: whole lines of the terminal's width, between its label and the expiry line. */
function revealedToken(screen: string): string {
	const match = /^token \(revealed[^\n]*\n([\s\S]*?)\n(?:expires|expired)/m.exec(screen);
	if (!match) throw new Error(`no revealed token on screen:\n${screen}`);
	return (match[1] ?? '').replaceAll(/\s+/g, '');
}

describe('copy over a real SSH hop', () => {
	let sshd: Sshd | undefined;
	let tmux: Tmux | undefined;
	beforeAll(async () => {
		if (unavailable) return;
		try {
			sshd = await startSshd();
		} catch (error) {
			unavailable = (error as Error).message;
			console.warn(`SKIPPED: the SSH copy tests need a real sshd, but ${unavailable}.`);
		}
	});
	afterEach(async () => {
		await tmux?.kill();
		tmux = undefined;
	});
	afterAll(async () => {
		await sshd?.stop();
	});

	/** The TUI on the far side of `ssh -t`, in --clipboard auto: sshd's SSH_CONNECTION alone makes it choose OSC 52. */
	async function copyAcrossSsh(localTerm: string | undefined, audience: string): Promise<{copied: string; shown: string}> {
		const remote = `cd ${shellQuote(process.cwd())} && ${cli} --demo --source metadata --audience ${audience} --clipboard auto`;
		tmux = new Tmux(`${sshd!.sshCommand} ${shellQuote(remote)}`, {width: 100, height: 40, env: localTerm ? {TERM: localTerm} : {}});
		await tmux.waitFor(new RegExp(`aud\\s+${audience.replaceAll('.', '\\.')}`), 20_000);
		tmux.keys('c');
		// No "(no system clipboard here)": OSC 52 was the first choice because the session is remote.
		await tmux.waitFor(/Copied the ID token via OSC 52 through tmux\.\n/);
		const copied = tmux.buffer();
		tmux.keys('v');
		const shown = revealedToken(await tmux.waitFor(/^token \(revealed[^\n]*\neyJ[\w-]{20}[\s\S]*\n(?:expires|expired)/m));
		tmux.keys('q');
		return {copied, shown};
	}

	it('carries the token from the remote TUI back to the local tmux through OSC 52', async context => {
		if (unavailable || !sshd) return context.skip(unavailable);
		const {copied, shown} = await copyAcrossSsh(undefined, 'https://ssh-hop.run.app');
		expect(copied).toBe(shown);
		expect(decodeJwt(copied)).toMatchObject({aud: 'https://ssh-hop.run.app'});
	}, 40_000);

	// tmux's classic default-terminal (and many users' configs) is screen-256color, and ssh carries TERM across;
	// screen's chunked passthrough would reach tmux as a cut sequence and copy nothing.
	it('still arrives whole when the local tmux calls itself screen-256color', async context => {
		if (unavailable || !sshd) return context.skip(unavailable);
		const {copied, shown} = await copyAcrossSsh('screen-256color', 'https://ssh-screen-term.run.app');
		// Long enough that screen's 768-byte chunks would have split it.
		expect(Buffer.from(copied).toString('base64').length).toBeGreaterThan(768);
		expect(copied).toBe(shown);
		expect(decodeJwt(copied)).toMatchObject({aud: 'https://ssh-screen-term.run.app'});
	}, 40_000);
});
