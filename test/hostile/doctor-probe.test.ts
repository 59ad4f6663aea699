import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {decodeJwt} from 'jose';
import {afterEach, describe, expect, it} from 'vitest';
import type {DoctorReport} from '../../src/doctor/report.js';
import {runCli} from '../support/cli.js';
import {useFixture} from '../support/fixture.js';

// doctor --probe mints only for forms of the URL it was given (and the user's --audience). A hostile service that answers
// as IAP does when the audience is wrong, naming a victim's audience, must not receive an ID token for the victim:
// the audience it names is a suggestion, with the command that would try it, shown with its escapes made visible once.

const fixture = useFixture();
const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
	for (const close of closing.splice(0)) await close();
});

const victim = 'https://victim-abc123-uc.a.run.app\u001b[2J';

/** Refuses every call as IAP words a wrong audience, naming the victim; keeps the audience of every token it is sent. */
async function hostileService(): Promise<{url: string; audiences: unknown[]}> {
	const audiences: unknown[] = [];
	const server = createServer((request, response) => {
		request.resume();
		const bearer = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
		if (bearer) audiences.push(decodeJwt(bearer).aud);
		// IAP's sentence (GoogleCloudPlatform/professional-services#603), as the emulator's IAP plays it.
		response.writeHead(401, {'x-goog-iap-generated-response': 'true', 'content-type': 'text/html'});
		response.end(`Invalid IAP credentials: JWT audience doesn't match expected value (${victim})`);
	});
	await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
	closing.push(() => new Promise(done => server.close(() => done())));
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, audiences};
}

/** The emulator's metadata server minted ID tokens for these audiences (its request log keeps each query). */
const mintedAudiences = () =>
	fixture.emulator.requests
		.filter(request => request.path.includes('/identity?'))
		.map(request => new URL(request.path, 'http://x').searchParams.get('audience') ?? '');

describe('doctor --probe against a service naming another service’s audience', () => {
	it('never mints for the named audience nor sends it; suggests it with the command to try, escaped once', async () => {
		const service = await hostileService();
		const env = fixture.env();
		const human = await runCli(['doctor', `${service.url}/app`, '--source', 'metadata', '--probe'], {env});
		const json = await runCli(['doctor', `${service.url}/app`, '--source', 'metadata', '--probe', '--json'], {env});

		// Neither the audience as named nor as shown (with its escape made visible) is minted for or sent.
		expect(mintedAudiences().filter(audience => audience.includes('victim'))).toEqual([]);
		expect(service.audiences.filter(audience => String(audience).includes('victim'))).toEqual([]);
		for (const result of [human, json]) expect(result.code).toBe(1);

		const report = JSON.parse(json.stdout) as DoctorReport;
		expect(report.probes!.map(probe => probe.audience)).toEqual([service.url, `${service.url}/`, `${service.url}/app`]);
		expect(report.probes!.map(probe => probe.audience)).not.toContain(victim);

		const shown = 'https://victim-abc123-uc.a.run.app\\u001b[2J';
		expect(human.stdout).toContain(
			`  → the service named ${shown}, not minted for: a service may name any audience. To try it: ` +
				`tokscope doctor ${service.url}/app '--audience=${shown}'\n`,
		);
		expect(human.stdout).not.toContain('\\\\u001b');
		expect(human.stdout).not.toContain('\u001b');
	});

	it('mints for it when the user asks with --audience', async () => {
		const service = await hostileService();
		const named = 'https://named-abc123-uc.a.run.app';
		const result = await runCli(['doctor', `${service.url}/`, '--source', 'metadata', '--audience', named, '--json'], {env: fixture.env()});
		expect(result.code).toBe(1);
		expect(mintedAudiences().filter(audience => audience === named)).toHaveLength(1);
		expect(service.audiences).toEqual([named]);
	});
});
