import {readFileSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startEmulator, type Emulator} from '../../src/emulator/index.js';
import {cli, hasTmux, Tmux} from '../support/tmux.js';

// CI runs a short soak (40 s against 5-second tokens); `npm run soak` runs the full one (10 minutes, 20-second tokens).
const seconds = Number(process.env.SOAK_SECONDS ?? 40);
const lifetime = Number(process.env.SOAK_LIFETIME ?? 5);

function rssMb(pid: number): number {
	return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

describe.skipIf(!hasTmux)(`soak: the live view for ${seconds} s against ${lifetime}-second tokens`, () => {
	let emulator: Emulator;
	let tmux: Tmux | undefined;
	beforeAll(async () => {
		emulator = await startEmulator({tokenLifetimeSeconds: lifetime});
	});
	afterAll(async () => {
		await tmux?.kill();
		await emulator.close();
	});

	it(
		'refreshes about once per lifetime, never storms, and keeps memory flat',
		async () => {
			tmux = new Tmux(`${cli} --source metadata --audience https://soak.run.app`, {
				env: {GCE_METADATA_HOST: emulator.host, NO_PROXY: '127.0.0.1'},
			});
			await tmux.waitFor(/ID fetched/);
			const pid = tmux.pid();
			const samples: number[] = [];
			const started = Date.now();
			while (Date.now() - started < seconds * 1000) {
				await new Promise(resolve => setTimeout(resolve, 5000));
				samples.push(rssMb(pid));
			}
			const refreshes = emulator.requests.filter(request => request.path.includes('/identity')).length;
			const expected = seconds / (lifetime * 0.8);
			const settled = samples.slice(Math.floor(samples.length / 3));
			const growth = Math.max(...settled) - settled[0]!;
			console.log(
				`soak ${seconds} s, ${lifetime}-second tokens: ${refreshes} ID-token fetches (about ` +
					`${expected.toFixed(1)} expected), RSS ${samples.map(mb => mb.toFixed(0)).join(' → ')} MB, growth after ` +
					`warm-up ${growth.toFixed(1)} MB`,
			);
			expect(refreshes).toBeGreaterThanOrEqual(Math.floor(expected * 0.7));
			expect(refreshes).toBeLessThanOrEqual(Math.ceil(expected * 1.3) + 1);
			expect(growth).toBeLessThan(15);
			expect(tmux.screen()).toMatch(/ID refreshed ahead of expiry/);
		},
		(seconds + 30) * 1000,
	);
});
