import {afterEach, expect, it} from 'vitest';
import {describeInBox} from '../support/sealed-box.js';

// What a real VM does that a loopback emulator with overrides never showed: a metadata server that takes its time, and a
// VM created without a service account.

describeInBox('the metadata server as a real VM has it', box => {
	afterEach(() => box.emulator.clearFaults());

	it('a metadata server answering in 2 s is waited for, through ADC and when named, as gcloud and Python wait', async () => {
		// On Google's machine (the box's firmware says so) ADC waits the full deadline, not the picker's short probe.
		box.emulator.setFault('/computeMetadata/', {delayMs: 2000});
		const adc = await box.cli(['print-access-token']);
		expect(adc).toMatchObject({code: 0, stderr: ''});
		expect(adc.stdout).toMatch(/^ya29\./);
		const named = await box.cli(['print-identity-token', '--source', 'metadata', '--audiences', 'https://hello-abc123xyz-uc.a.run.app']);
		expect(named).toMatchObject({code: 0, stderr: ''});
	});

	it('a metadata server that never answers is given up on at the deadline, which the sentence names', async () => {
		box.emulator.setFault('/computeMetadata/', {stall: true});
		const result = await box.cli(['print-access-token', '--source', 'metadata']);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/within 10 s/);
	}, 30_000);

	it('a VM with no service account is said to have none, with the command that attaches one to this VM', async () => {
		// The metadata server of a VM created with --no-service-account has no service-accounts/default.
		box.emulator.setFault(/\/service-accounts\//, {status: 404, body: 'Not Found\n', headers: {'Metadata-Flavor': 'Google'}});
		for (const args of [['print-access-token'], ['print-access-token', '--source', 'metadata']]) {
			const result = await box.cli(args);
			expect(result.code).toBe(1);
			expect(result.stderr).toMatch(/this VM has no service account attached/);
			expect(result.stderr).toMatch(/gcloud compute instances set-service-account \S+ --zone=us-central1-a --service-account=SA_EMAIL/);
			expect(result.stderr).not.toMatch(/GCE_METADATA_HOST|not reachable/);
		}
		// doctor names it in its cause codes, with the same command.
		const doctor = await box.cli(['doctor', 'https://hello-abc123xyz-uc.a.run.app', '--json']);
		expect(doctor.code).toBe(2);
		const [cause] = (JSON.parse(doctor.stdout) as {causes: Array<{code: string; fix: string}>}).causes;
		expect(cause).toMatchObject({
			code: 'no-service-account',
			fix: expect.stringMatching(/--zone=us-central1-a --service-account=SA_EMAIL/),
		});
	});
});
