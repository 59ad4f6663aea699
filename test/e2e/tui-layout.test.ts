import {afterEach, describe, expect, it} from 'vitest';
import {cli, hasTmux, Tmux} from '../support/tmux.js';

// The live view in a real terminal at the sizes people use: the frame never grows past the terminal in any state
// (its header stays on the first row, its footer on the last), nothing reaches the scrollback, a resize leaves no
// stale lines, and the keys the issue names do what they say.

const impersonate =
	`${cli} --demo --source impersonate --impersonate-service-account ` + `tokscope-target@tokscope-demo.iam.gserviceaccount.com`;

describe.skipIf(!hasTmux)('the live view in a real terminal', () => {
	let tmux: Tmux | undefined;
	afterEach(() => tmux?.kill());

	for (const [width, height] of [
		[60, 16],
		[80, 24],
	] as const) {
		it(`at ${width}×${height}: header on the first row and footer on the last, in every state`, async () => {
			tmux = new Tmux(`${impersonate} --audience https://hello-demo-abc123-uc.a.run.app/with/a/path`, {
				width,
				height,
				env: {TOKSCOPE_DEMO_LIFETIME: '120'},
			});
			await tmux.waitFor(/✓ valid/);
			const fits = (state: string) => {
				const rows = tmux!.screen().replace(/\n$/, '').split('\n');
				expect(rows, state).toHaveLength(height);
				expect(rows[0], state).toMatch(/^(tokscope · |Details|Keys|Break the demo|The token, revealed)/);
				expect(rows.at(-1), state).toMatch(/\? help q quit\s*$/);
				expect(tmux!.value('#{history_size}'), state).toBe('0');
			};
			fits('at rest, with the audience warning');
			expect(tmux.screen()).toContain('⚠ audience:');
			tmux.keys('v');
			await tmux.waitFor(/revealed/);
			fits('token revealed');
			tmux.keys('v');
			await tmux.waitFor(/v reveals/);
			tmux.keys('?');
			await tmux.waitFor(/^Keys/);
			fits('help');
			tmux.keys('Escape');
			await tmux.waitFor(/^tokscope · /);
			tmux.keys('b');
			await tmux.waitFor(/^Break the demo/);
			fits('break-it menu');
			tmux.keys('2');
			await tmux.waitFor(/Broke it: IAM says 403/);
			tmux.keys('r');
			await tmux.waitFor(/STALE/);
			fits('after a 403');
			tmux.keys('d');
			await tmux.waitFor(/^Details/);
			fits('details');
			tmux.keys('q');
		}, 60_000);
	}

	for (const [width, height] of [
		[60, 16],
		[80, 24],
	] as const) {
		it(`at ${width}×${height}: try it calls the demo's Cloud Run, probes, asks a URL for the access token, within the frame`, async () => {
			tmux = new Tmux(`${cli} --demo`, {width, height, env: {TOKSCOPE_DEMO_LIFETIME: '120'}});
			await tmux.waitFor(/Pick a credential source/);
			tmux.keys('Enter');
			// The demo's audience is its Cloud Run stand-in; a path added to it is the mistake probing finds.
			const service = /enter keeps (http:\/\/127\.0\.0\.1:\d+)/.exec(await tmux.waitFor(/enter keeps http:\/\/127/))![1]!;
			// The suggested audience is in the line: typing goes on after it.
			tmux.type('/with/a/path');
			tmux.keys('Enter');
			await tmux.waitFor(/✓ valid/);
			const fits = (state: string) => {
				const rows = tmux!.screen().replace(/\n$/, '').split('\n');
				expect(rows, state).toHaveLength(height);
				expect(rows[0], state).toMatch(/^(Try it)/);
				expect(rows.at(-1), state).toMatch(/x try .*\? help q quit\s*$/);
				expect(tmux!.value('#{history_size}'), state).toBe('0');
			};
			tmux.keys('x');
			await tmux.waitFor(/✗ rejected: HTTP 401/);
			fits('try it answered');
			tmux.keys('p');
			await tmux.waitFor(/^Try it, probed — /);
			for (let page = 0; page < 4; page++) tmux.keys('NPage');
			await tmux.waitFor(new RegExp(`→ mint for ${service.replaceAll('.', '\\.')}\\s`));
			fits('probed, scrolled to the end');
			tmux.keys('Escape');
			await tmux.waitFor(/^tokscope · /);
			tmux.keys('Tab');
			await tmux.waitFor(/token ya29\./);
			tmux.keys('x');
			await tmux.waitFor(new RegExp(`❯ ${service.replaceAll('.', '\\.')}/with/a/path`));
			fits('asking the URL');
			tmux.keys('Enter');
			await tmux.waitFor(/✗ rejected: HTTP 401/);
			fits('the access token tried');
			tmux.keys('q');
		}, 60_000);
	}

	it('at 80×24 shows the 403 and its fix in full, with the caller one key away; heal and r recover', async () => {
		tmux = new Tmux(`${impersonate} --audience https://hello-demo-abc123-uc.a.run.app`, {env: {TOKSCOPE_DEMO_LIFETIME: '120'}});
		await tmux.waitFor(/✓ valid/);
		tmux.keys('b');
		await tmux.waitFor(/^Break the demo/);
		tmux.keys('2');
		tmux.keys('r');
		const screen = (await tmux.waitFor(/not retried/)).replaceAll(/\s+/g, ' ');
		// Who lacks which permission on whom, the role that grants it, and the command, all on screen at 80×24.
		expect(screen).toContain(
			'tokscope-demo@tokscope-demo.iam.gserviceaccount.com lacks iam.serviceAccounts.getOpenIdToken on ' +
				'tokscope-target@tokscope-demo.iam.gserviceaccount.com (IAM answered 403): it needs ' +
				'roles/iam.serviceAccountOpenIdTokenCreator on that service account.',
		);
		expect(screen).toContain(
			'Fix: gcloud iam service-accounts add-iam-policy-binding tokscope-target@tokscope-demo.iam.gserviceaccount.com',
		);
		expect(screen).toContain('--role=roles/iam.serviceAccountOpenIdTokenCreator');
		tmux.keys('d');
		await tmux.waitFor(/caller: tokscope-demo@tokscope-demo\.iam\.gserviceaccount\.com/);
		tmux.keys('Escape');
		await tmux.waitFor(/^tokscope · /);
		tmux.keys('H');
		await tmux.waitFor(/Healed/);
		tmux.keys('r');
		await tmux.waitFor(/✓ valid[\s\S]*ID refreshed/);
		tmux.keys('q');
	}, 60_000);

	it('at 80×24 with the token revealed: nothing reaches the scrollback in 10 s, nor after quitting', async () => {
		tmux = new Tmux(`${cli} --demo --source metadata --audience https://scrollback.run.app`, {env: {TOKSCOPE_DEMO_LIFETIME: '20'}});
		await tmux.waitFor(/✓ valid/);
		tmux.keys('c');
		await tmux.waitFor(/Copied the ID token/);
		const token = tmux.buffer();
		tmux.keys('v');
		await tmux.waitFor(/revealed/);
		const before = tmux.value('#{history_size}');
		await new Promise(resolve => setTimeout(resolve, 10_000));
		expect(tmux.value('#{history_size}')).toBe(before);
		expect(tmux.screen().split('\n')[0]).toMatch(/^tokscope · /);
		tmux.keys('q');
		await tmux.waitFor(/^\s*$/, 5000);
		expect(tmux.history()).not.toContain(token.slice(0, 60));
		expect(tmux.history()).not.toContain(token.slice(-60));
	}, 40_000);

	it('redraws the whole frame after a resize: no stale lines when it grows and shrinks back', async () => {
		tmux = new Tmux(`${cli} --demo --source metadata --audience https://resize.run.app`, {env: {TOKSCOPE_DEMO_LIFETIME: '120'}});
		await tmux.waitFor(/✓ valid/);
		tmux.resize(120, 30);
		await new Promise(resolve => setTimeout(resolve, 700));
		tmux.resize(80, 24);
		await new Promise(resolve => setTimeout(resolve, 700));
		const screen = await tmux.waitFor(/\? help q quit/);
		expect(screen.match(/tokscope · /g)).toHaveLength(1);
		expect(screen.match(/\? help q quit/g)).toHaveLength(1);
		expect(screen.match(/^\[ID token\]/gm)).toHaveLength(1);
		expect(screen.split('\n').every(line => line.length <= 80)).toBe(true);
		tmux.keys('q');
	}, 30_000);

	it('answers keys sent in one read, opens the paste field for --source paste, and takes --audience in the demo', async () => {
		tmux = new Tmux(`${cli} --demo --audience https://from-the-flag.run.app`, {env: {TOKSCOPE_DEMO_LIFETIME: '120'}});
		const picker = await tmux.waitFor(/Pick a credential source/);
		expect(picker).toContain('ADC with the demo user’s credential (authorized_user)');
		tmux.keys('Enter');
		await tmux.waitFor(/enter keeps https:\/\/from-the-flag\.run\.app/);
		tmux.keys('Enter');
		await tmux.waitFor(/✓ valid/);
		tmux.type('s3');
		await tmux.waitFor(/Service-account key file\s*\n.*enter to accept/);
		expect(tmux.screen()).toMatch(/enter keeps\s+\/.*service-account-key\.json/);
		await tmux.kill();

		tmux = new Tmux(`${cli} --demo`, {env: {TOKSCOPE_DEMO_LIFETIME: '120'}});
		await tmux.waitFor(/Pick a credential source/);
		// The federation source is prefilled with the federation config, not the service-account key.
		tmux.type('6');
		await tmux.waitFor(/enter keeps\s+\/.*external-account\.json/);
		await tmux.kill();

		tmux = new Tmux(`${cli} --source paste`);
		await tmux.waitFor(/Paste any token/);
		await tmux.kill();
	}, 60_000);
});
