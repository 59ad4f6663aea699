import {existsSync} from 'node:fs';
import {decodeJwt} from 'jose';
import {describe, expect, it} from 'vitest';
import {prepareDemo, startDemo} from '../../src/app/demo.js';
import {makeAuthorityKeys, type AuthorityKeys} from '../../src/emulator/index.js';
import {createSource, detectSources} from '../../src/sources/index.js';

describe('the demo', () => {
	it('points every source at the emulator through the environment it hands them, leaving process.env alone', async () => {
		const before = {...process.env};
		const demo = await startDemo({PATH: process.env.PATH, HOME: process.env.HOME, TOKSCOPE_DEMO_LIFETIME: '30'});
		try {
			expect(demo.banner).toContain('each living 30 s');
			await demo.ready;
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

	it('has the picker’s lines before the emulator has made its keys; its files and tokens follow once it has', async () => {
		let release!: (keys: Promise<AuthorityKeys>) => void;
		const held = new Promise<AuthorityKeys>(resolve => (release = keys => resolve(keys)));
		const preview = prepareDemo({}, held);
		// The first frame's text: every line names the file it will use, none of which is written yet.
		const files = preview.choices.flatMap(choice => [choice.defaults?.keyFile, choice.env?.GOOGLE_APPLICATION_CREDENTIALS]).filter(Boolean);
		expect(files.length).toBeGreaterThanOrEqual(3);
		for (const file of files) expect(existsSync(file!)).toBe(false);

		const demo = await preview.start();
		try {
			// The emulator listens, so its URLs are known, while its keys are still held back.
			expect(demo.defaults.audience).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			let ready = false;
			void demo.ready.then(() => (ready = true));
			const token = createSource({source: 'metadata', env: demo.env}).idToken({audience: demo.defaults.audience!});
			await new Promise(resolve => setTimeout(resolve, 50));
			expect(ready).toBe(false);
			for (const file of files) expect(existsSync(file!)).toBe(false);

			release(makeAuthorityKeys());
			await demo.ready;
			for (const file of files) expect(existsSync(file!)).toBe(true);
			expect(decodeJwt((await token).token).aud).toBe(demo.defaults.audience);
		} finally {
			await demo.stop();
		}
		for (const file of files) expect(existsSync(file!)).toBe(false);
	});
});
