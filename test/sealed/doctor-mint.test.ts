import {join} from 'node:path';
import {afterEach, beforeAll, expect, it} from 'vitest';
import type {MintReport} from '../../src/doctor/mint-report.js';
import type {CredentialFiles} from '../../src/emulator/index.js';
import {loadCorpus} from '../support/real-world-corpus.js';
import {describeInBox} from '../support/sealed-box.js';

// `tokscope doctor` without a URL as on a VM: the chain walked at Google's own names over HTTPS and at the metadata
// server's address, with nothing overridden in the environment.

describeInBox('doctor without a URL in the sealed box', box => {
	let files: CredentialFiles;
	beforeAll(async () => {
		files = await box.emulator.writeCredentialFiles(join(box.dir, 'creds'));
	});
	afterEach(() => box.emulator.heal());

	async function doctor(args: string[], env: NodeJS.ProcessEnv = {}) {
		const result = await box.cli(['doctor', ...args, '--json'], {env: box.env(env)});
		return {...result, report: JSON.parse(result.stdout) as MintReport};
	}

	it('on a VM with nothing set: ADC skips to the metadata server at its own address, which mints', async () => {
		const {code, report} = await doctor([]);
		expect(code).toBe(0);
		expect(report.steps.map(step => step.step)).toEqual(['credential', 'metadata', 'minted']);
		expect(report.steps[1]!.url).toMatch(/^http:\/\/(169\.254\.169\.254|metadata\.google\.internal)\/computeMetadata\/v1\//);
	});

	it('federation at sts.googleapis.com and iamcredentials.googleapis.com; STS’s real refusal stops the chain there', async () => {
		const env = {GOOGLE_APPLICATION_CREDENTIALS: files.externalAccount};
		const target = `tokscope-target@${box.emulator.projectId}.iam.gserviceaccount.com`;
		const minted = await doctor([], env);
		expect(minted.code).toBe(0);
		expect(minted.report.steps.map(step => step.url ?? step.step)).toEqual([
			'credential',
			'subject-token',
			'federation',
			'https://sts.googleapis.com/v1/token',
			`https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${target}:generateAccessToken`,
			'minted',
		]);

		const real = loadCorpus().find(entry => entry.name === 'sts/provider-named-by-project-id')!.answer.response;
		box.emulator.setFault('/v1/token', {status: real.status, body: real.body});
		const refused = await doctor([], env);
		expect(refused.code).toBe(1);
		expect(refused.report).toMatchObject({status: 400, url: 'https://sts.googleapis.com/v1/token'});
		expect(refused.report.causes[0]!.code).toBe('wif-audience-format');
	});
});
