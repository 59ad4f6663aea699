import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startDemo, type Demo} from '../../src/app/demo.js';
import {viewOfRawToken} from '../../src/core/decode.js';
import {clockSkewWarning} from '../../src/core/skew.js';
import {createSource} from '../../src/sources/index.js';
import {breakLines} from '../../src/ui/panels/other.js';

// The demo's break-it pane (b) says which of the picker's sources each breakage reaches, and lists the emulator's
// services to try: checked here against the real sources minting from the demo's emulator.

let demo: Demo;
beforeAll(async () => {
	demo = await startDemo({TOKSCOPE_DEMO_LIFETIME: '600'});
	await demo.ready;
});
afterAll(async () => demo.stop());

const paneText = () =>
	breakLines(demo.controls)
		.map(line => line.text)
		.join('\n');

/** Which of the picker's lines (those that mint without a person: not gcloud, login or paste) fail to mint an access token. */
async function failingLines(): Promise<string[]> {
	const mintable = demo.choices.filter(choice => !['gcloud', 'login', 'paste'].includes(choice.id));
	const outcomes = await Promise.all(
		mintable.map(async choice => {
			const source = createSource({source: choice.id, ...choice.defaults, env: {...demo.env, ...choice.env}});
			return source.accessToken().then(
				() => undefined,
				() => (choice.env ? choice.label : choice.id),
			);
		}),
	);
	return outcomes.filter((line): line is string => line !== undefined).sort();
}

function breakIt(label: string): void {
	demo.controls.heal();
	demo.controls.menu.find(entry => entry.label === label)!.apply();
}

describe('the demo’s break-it pane', () => {
	it('says IAM’s 403 reaches only what mints through IAM Credentials, and it does', async () => {
		expect(paneText()).toContain(
			'Only what mints through IAM Credentials: impersonate, external and ADC with the impersonated_service_account file.',
		);
		breakIt('IAM says 403');
		expect(await failingLines()).toEqual(['ADC with an impersonated_service_account file', 'external', 'impersonate']);
		demo.controls.heal();
	});

	it('says a revoked refresh token reaches only what refreshes a user’s token, and it does', async () => {
		expect(paneText()).toContain(
			'Only what refreshes a user’s token: login, and ADC with the authorized_user or impersonated_service_account file.',
		);
		breakIt('Refresh token revoked');
		expect(await failingLines()).toEqual([
			'ADC with an impersonated_service_account file',
			'ADC with the demo user’s credential (authorized_user)',
		]);
		demo.controls.heal();
	});

	it('says a token from “Tokens expire now” expired at issue, not that it expires before it was issued', async () => {
		breakIt('Tokens expire now');
		const source = createSource({source: 'metadata', env: demo.env});
		for (const raw of [await source.idToken({audience: demo.defaults.audience!}), await source.accessToken()]) {
			expect(clockSkewWarning(viewOfRawToken(raw), raw.fetchedAt)).toBe(
				'This token expired at issue (exp equals iat): no service will accept it.',
			);
		}
		demo.controls.heal();
	});

	it('says of every breakage which sources it reaches', () => {
		for (const entry of demo.controls.menu) expect(entry.affects).toMatch(/^(Every source|Only what)/);
	});

	it('lists the emulator’s services, IAP and Cloud Functions too, with the audience each accepts', () => {
		const text = paneText();
		const {services} = demo.controls;
		expect(services?.map(service => service.label)).toEqual(['Cloud Run', 'Cloud Functions', 'IAP', 'API Gateway', 'Google API', 'Public']);
		for (const service of services!) {
			expect(text).toContain(`${service.label}  ${service.url}`);
			expect(text).toContain(service.wants);
		}
		expect(text).toMatch(/IAP {2}http:\/\/127\.0\.0\.1:\d+\n\s*ID token with email, audience \d+-\w+\.apps\.googleusercontent\.com/);
		expect(text).toMatch(/Cloud Functions {2}http:\/\/127\.0\.0\.1:\d+\/hello\n\s*ID token, audience http:\/\/127\.0\.0\.1:\d+\/hello/);
	});
});
