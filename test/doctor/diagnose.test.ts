import {describe, expect, it} from 'vitest';
import {runDiagnosis, type DiagnosisIo} from '../../src/doctor/diagnose.js';
import type {TokenSource} from '../../src/sources/types.js';

// The diagnosis with its I/O handed in: a source of our own making stands in where no Google answer is needed.

/** No call may be made in these tests: the diagnosis stops before it. */
const offline: DiagnosisIo = {
	call: async () => Promise.reject(new Error('no call may be made here')),
	verify: async () => undefined,
};

/** A source whose every mint fails with `error`. */
function failingSource(error: unknown): TokenSource {
	const fail = async () => Promise.reject(error);
	return {
		id: 'adc',
		label: 'Application Default Credentials',
		describe: async () => ({id: 'adc', origin: 'test', details: [], warnings: [], idTokens: true}),
		accessToken: fail,
		idToken: fail,
	};
}

describe('a mint that fails in a way nobody worded', () => {
	it('is reported as unexpected, in one line, with any secret it quotes redacted (no call made)', async () => {
		const secret = `ya29.${'s'.repeat(60)}`;
		const source = failingSource(new Error(`the library broke holding ${secret}\n    at somewhere (lib.js:1:1)`));
		const {report} = await runDiagnosis({url: 'http://127.0.0.1:9/', source}, offline);
		expect(report).toMatchObject({status: null, accepted: false});
		expect(report.error).toBe('Unexpected error: the library broke holding [redacted]');
	});
});
