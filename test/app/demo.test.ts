import {decodeJwt} from 'jose';
import {describe, expect, it} from 'vitest';
import {startDemo} from '../../src/app/demo.js';
import {createSource, detectSources} from '../../src/sources/index.js';

describe('the demo', () => {
	it('points every source at the emulator through the environment it hands them, leaving process.env alone', async () => {
		const before = {...process.env};
		const demo = await startDemo({PATH: process.env.PATH, HOME: process.env.HOME, TOKSCOPE_DEMO_LIFETIME: '30'});
		try {
			expect(demo.banner).toContain('each living 30 s');
			expect((await detectSources(demo.env)).adc).toContain('service_account file from $GOOGLE_APPLICATION_CREDENTIALS');
			const target = demo.defaults.impersonate![0]!;
			const env = {...demo.env, GOOGLE_APPLICATION_CREDENTIALS: undefined};
			const onMetadata = createSource({source: 'impersonate', impersonate: [target], env});
			expect(decodeJwt((await onMetadata.idToken({audience: demo.defaults.audience!, includeEmail: true})).token).email).toBe(target);
			expect((await onMetadata.describe()).origin).toContain('(the metadata server at 127.0.0.1:');
			expect(process.env).toEqual(before);
		} finally {
			await demo.stop();
		}
	});
});
