import {resolve} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {describeInBox, type SealedBox} from '../support/sealed-box.js';
import {hasTmux, shellQuote, Tmux} from '../support/tmux.js';

// The TUI in a real terminal (tmux, 80×24) inside the sealed box, as a user on a Compute Engine VM runs it: no
// overrides, the metadata server at 169.254.169.254, Google's keys fetched from www.googleapis.com over HTTPS, and the
// Cloud Run service called at its run.app name.

if (!hasTmux) console.warn('SKIPPED: tmux is not installed, so the sealed TUI tests cannot run.');

/** tokscope's TUI inside the box, in a terminal outside it, with what a user's shell has (TERM, HOME) and the CA. */
function tui(box: SealedBox): Tmux {
	const env = box.env({TERM: 'tmux-256color', HOME: `${box.dir}/home`});
	return new Tmux(
		box
			.enter([process.execPath, resolve('dist/cli.js')], env)
			.map(shellQuote)
			.join(' '),
	);
}

/** The picker, the metadata server chosen, the Cloud Run service's URL typed as the audience: the live view. */
async function liveViewOfCloudRun(tmux: Tmux, box: SealedBox): Promise<string> {
	await tmux.waitFor(/Pick a credential source[\s\S]*metadata server: /);
	tmux.keys('2');
	await tmux.waitFor(/Audience for the ID token/);
	tmux.type(box.emulator.services.cloudRun.url);
	tmux.keys('Enter');
	return tmux.waitFor(/✓ valid/);
}

describeInBox('the TUI in the sealed box, as on a VM (tmux, 80×24)', box => {
	let tmux: Tmux | undefined;
	afterEach(async () => {
		await tmux?.kill();
		box.emulator.setTokenLifetime(3600);
	});

	it.skipIf(!hasTmux)(
		'finds the metadata server, shows the ID token verified with Google’s keys counting down, and refreshes',
		async () => {
			tmux = tui(box);
			const picker = await tmux.waitFor(/Pick a credential source[\s\S]*metadata server: /);
			// ADC reaches the metadata server as on a VM, and the metadata server names the VM's service account.
			expect(picker).toMatch(/1\. Application Default Credentials\s*\n\s+the metadata server at 169\.254\.169\.254/);
			expect(picker).toMatch(/2\. Metadata server \(GCE, GKE, Cloud Run\)\s*\n\s+metadata server: tokscope-demo@tokscope-demo\.iam\.gser/);

			const live = await liveViewOfCloudRun(tmux, box);
			expect(live.split('\n')[0]).toMatch(/^tokscope · tokscope-demo@tokscope-demo\.iam\.gserviceaccount\.com · Metadata serv/);
			expect(live).toMatch(/✓ valid Signature verified with Google’s published keys/);
			expect(live).toMatch(/aud\s+https:\/\/hello-abc123xyz-uc\.a\.run\.app\n/);
			expect(live).toMatch(/iss\s+https:\/\/accounts\.google\.com\n/);
			expect(live).toMatch(/ID fetched in \d+ ms/);
			expect(live.replace(/\n$/, '').split('\n')).toHaveLength(24);
			// The keys came from www.googleapis.com over HTTPS: the only listener serving that path is the box's :443.
			expect(box.emulator.requests.some(request => request.path === '/oauth2/v3/certs')).toBe(true);

			// Counting down: the seconds go down while the screen is watched.
			const countdown = /expires in 59m (\d+)s/;
			const first = Number(countdown.exec(await tmux.waitFor(countdown))![1]);
			const later = Number(countdown.exec(await tmux.waitFor(new RegExp(`expires in 59m (?!${first}s)\\d+s`), 5000))![1]);
			expect(later).toBeLessThan(first);

			// `r`: a new token now; with a 12 s lifetime it is refreshed on its own at 80% of it.
			box.emulator.setTokenLifetime(12);
			tmux.keys('r');
			await tmux.waitFor(/ID refreshed in \d+ ms/);
			let screen = await tmux.waitFor(/expires in \d+s /);
			expect(Number(/expires in (\d+)s/.exec(screen)![1])).toBeLessThanOrEqual(12);
			screen = await tmux.waitFor(/ID refreshed ahead of expiry/, 15_000);
			expect(screen).toMatch(/✓ valid Signature verified with Google’s published keys/);
			tmux.keys('q');
		},
		45_000,
	);

	it.skipIf(!hasTmux)(
		'try it (x) calls Cloud Run at its run.app name over HTTPS and is accepted; t asks tokeninfo about the access token',
		async () => {
			tmux = tui(box);
			await liveViewOfCloudRun(tmux, box);
			tmux.keys('x');
			const tried = await tmux.waitFor(/✓ accepted/);
			expect(tried).toMatch(/✓ accepted: HTTP 200 for GET https:\/\/hello-abc123xyz-uc\.a\.run\.app\/ \(Cloud Run\)/);
			expect(tried).toMatch(/Hello from Cloud Run,\s+tokscope-demo@tokscope-demo\.iam\.gserviceaccount\.com!/);

			// The access token's details ask tokeninfo at oauth2.googleapis.com over HTTPS (t), and show what Google says.
			tmux.keys('Escape');
			await tmux.waitFor(/^tokscope · /);
			tmux.keys('Tab');
			await tmux.waitFor(/token ya29\./);
			tmux.keys('d');
			await tmux.waitFor(/^Details — access token/);
			tmux.keys('t');
			const details = await tmux.waitFor(/asked https:\/\/oauth2\.googleapis\.com\/tokeninfo/);
			expect(details).toMatch(/It grants 1 scope:\s+https:\/\/www\.googleapis\.com\/auth\/cloud-platform/);
			tmux.keys('q');
		},
		30_000,
	);
});
