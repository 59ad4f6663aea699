import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import type {DoctorReport} from '../../src/doctor/report.js';
import {describeInBox} from '../support/sealed-box.js';

// doctor and curl as on a VM: the services at their real kinds of address (run.app, cloudfunctions.net, an IAP custom
// domain, a Google API at googleapis.com) over HTTPS, the token from the metadata server, nothing overridden.

const cloudRun = 'https://hello-abc123xyz-uc.a.run.app';
const cloudFunction = 'https://us-central1-tokscope-demo.cloudfunctions.net/hello';
const iap = 'https://iap-app.tokscope.example';
const googleApi = 'https://cloudresourcemanager.googleapis.com/v1/projects/tokscope-demo';

const codes = (report: DoctorReport) => report.causes.map(cause => cause.code);

describeInBox('doctor and curl in the sealed box, with no overrides', box => {
	afterEach(() => {
		box.emulator.heal();
		box.emulator.setTokenLifetime(3600);
	});

	async function doctor(args: string[], env?: NodeJS.ProcessEnv) {
		const result = await box.cli(['doctor', ...args, '--json'], env ? {env} : {});
		return {...result, report: JSON.parse(result.stdout) as DoctorReport};
	}
	const mint = async (args: string[]) => (await box.cli(args)).stdout.trim();

	it('Cloud Run accepts the metadata server’s ID token for its run.app URL: exit 0', async () => {
		const {code, report} = await doctor([cloudRun]);
		expect(code).toBe(0);
		expect(report).toMatchObject({status: 200, accepted: true, target: {kind: 'cloud-run'}});
		expect(report.token).toMatchObject({kind: 'google-id-token', issuer: 'https://accounts.google.com', audience: cloudRun});
	});

	it('an access token sent to Cloud Run: wrong-token-kind, with the fix for this very service', async () => {
		const token = await mint(['print-access-token']);
		const {code, report} = await doctor([cloudRun, '--token', token]);
		expect(code).toBe(1);
		expect(codes(report)[0]).toBe('wrong-token-kind');
		expect(report.causes[0]!.fix).toContain(`--audiences=${cloudRun}`);
	});

	it('an audience with a path: audience-mismatch, saying the path is the mistake', async () => {
		const {code, report} = await doctor([`${cloudRun}/api/items`, '--audience', `${cloudRun}/api/items`]);
		expect(code).toBe(1);
		expect(codes(report)[0]).toBe('audience-mismatch');
		expect(report.causes[0]!.sentence).toMatch(/has a path/);
	});

	it('an expired ID token: token-expired', async () => {
		box.emulator.setTokenLifetime(1);
		const token = await mint(['print-identity-token', '--audiences', cloudRun]);
		await new Promise(done => setTimeout(done, 1500));
		const {code, report} = await doctor([cloudRun, '--token', token]);
		expect(code).toBe(1);
		expect(codes(report)[0]).toBe('token-expired');
	});

	it('a caller without the invoker role: missing-invoker-role naming it, with a fix holding no placeholder', async () => {
		const sa = box.emulator.serviceAccountEmail;
		box.emulator.services.cloudRun.deny(sa);
		try {
			const {code, report} = await doctor([cloudRun]);
			expect(code).toBe(1);
			expect(report.causes[0]).toMatchObject({
				code: 'missing-invoker-role',
				fix: `gcloud run services add-iam-policy-binding hello --member=serviceAccount:${sa} --role=roles/run.invoker`,
			});
			expect(report.causes[0]!.fix).not.toMatch(/SERVICE|REGION/);
		} finally {
			box.emulator.services.cloudRun.allow(sa);
		}
	});

	it('IAP with a URL as the audience is refused, with its OAuth client ID accepted', async () => {
		const clientId = box.emulator.services.iap.audience!;
		const url = await doctor([iap]);
		expect(url.code).toBe(1);
		expect(codes(url.report)[0]).toBe('audience-mismatch');
		expect(url.report.expectedAudience).toBe(clientId);
		const accepted = await doctor([iap, '--audience', clientId]);
		expect(accepted.code).toBe(0);
		expect(accepted.report.target.kind).toBe('iap');
	});

	it('a redirect to sign-in without a token is a refusal: IAP is never said to need no token', async () => {
		// IAP sends a token-less GET to Google's sign-in (302): doctor's second, anonymous call must not read it as open.
		const {report} = await doctor([iap, '--audience', box.emulator.services.iap.audience!]);
		expect(codes(report)).not.toContain('no-token-needed');
		expect(JSON.stringify(report)).not.toContain('allUsers');
	});

	it('an ID token sent to a Google API: wrong-token-kind, an access token wanted', async () => {
		const token = await mint(['print-identity-token', '--audiences', cloudRun]);
		const {code, report} = await doctor([googleApi, '--token', token]);
		expect(code).toBe(1);
		expect(report.target.kind).toBe('google-api');
		expect(codes(report)[0]).toBe('wrong-token-kind');
		const accepted = await doctor([googleApi]);
		expect(accepted).toMatchObject({code: 0, report: {token: {kind: 'google-access-token'}}});
	});

	it('--probe finds the audience a Cloud Function takes: its full URL', async () => {
		const origin = new URL(cloudFunction).origin;
		const {code, report} = await doctor([cloudFunction, '--audience', origin, '--probe']);
		expect(code).toBe(1);
		const winner = report.probes?.find(probe => probe.accepted);
		expect(winner?.audience).toBe(cloudFunction);
	});

	it('curl mints the token the URL needs and runs the real curl with it, over HTTPS', async () => {
		const env = box.env({PATH: process.env.PATH, CURL_CA_BUNDLE: box.caFile, HOME: join(box.dir, 'home')});
		const run = await box.cli(['curl', `${cloudRun}/hello`, '--', '-s', '-o', '/dev/null', '-w', '%{http_code}'], {env});
		expect(run).toMatchObject({code: 0, stdout: '200'});
		const api = await box.cli(['curl', googleApi, '--', '-s', '-o', '/dev/null', '-w', '%{http_code}'], {env});
		expect(api).toMatchObject({code: 0, stdout: '200'});
	});
});
