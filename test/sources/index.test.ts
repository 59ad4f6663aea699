import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {detectionDeadlineMs, detectSources, sourceCatalog} from '../../src/sources/index.js';
import {useFixture} from '../support/fixture.js';

const fixture = useFixture();

describe('detection', () => {
	it('detects what is there right now, quickly', {tags: ['timing']}, async () => {
		const started = Date.now();
		const detected = await detectSources(fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.serviceAccountKey}));
		expect(Date.now() - started).toBeLessThan(2000);
		expect(detected.adc).toContain('service_account file from $GOOGLE_APPLICATION_CREDENTIALS');
		expect(detected.metadata).toContain(fixture.emulator.serviceAccountEmail);
		expect(detected['key-file']).toContain('key from $GOOGLE_APPLICATION_CREDENTIALS');
		const absent = await detectSources(fixture.env({GCE_METADATA_HOST: '127.0.0.1:1', PATH: ''}));
		expect(absent.metadata).toBe('metadata server: not reachable');
		expect(absent.gcloud).toBe('gcloud CLI not installed');
		const broken = join(fixture.dir, 'gone.json');
		expect((await detectSources(fixture.env({GOOGLE_APPLICATION_CREDENTIALS: broken}))).adc).toBe(
			`$GOOGLE_APPLICATION_CREDENTIALS (${broken}) cannot be used`,
		);
	});

	it(
		'runs each detection on its own: a stalled metadata server and a FIFO for a key leave the other lines answered',
		{tags: ['timing']},
		async () => {
			const fifo = join(fixture.dir, 'detect.fifo');
			execFileSync('mkfifo', [fifo]);
			fixture.emulator.setFault('/computeMetadata/', {stall: true});
			const started = Date.now();
			const detected = await detectSources(fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fifo}));
			expect(Date.now() - started).toBeLessThan(detectionDeadlineMs + 1000);
			expect(detected.metadata).toBe('metadata server: not reachable');
			expect(detected.adc).toBe(`$GOOGLE_APPLICATION_CREDENTIALS (${fifo}) cannot be used`);
			expect(detected.paste).toBe('paste any token to decode, verify and watch it');
		},
	);

	it('is each catalog entry’s own: the picker gets one line per entry, the line its detect says', async () => {
		const env = fixture.env({GOOGLE_APPLICATION_CREDENTIALS: fixture.files.externalAccount});
		const detected = await detectSources(env);
		expect(Object.keys(detected)).toEqual(sourceCatalog.map(entry => entry.id));
		for (const entry of sourceCatalog) expect(detected[entry.id]).toBe(await entry.detect(env));
		expect(detected.external).toBe(`federation config from $GOOGLE_APPLICATION_CREDENTIALS (${fixture.files.externalAccount})`);
	});
});
