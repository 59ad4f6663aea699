import {describe, expect, it} from 'vitest';
import {command, shellQuote} from '../../src/core/shell-quote.js';

describe('shellQuote', () => {
	it('leaves plain words bare and quotes anything a shell would read', () => {
		expect(shellQuote('--member=serviceAccount:sa@p.iam.gserviceaccount.com')).toBe('--member=serviceAccount:sa@p.iam.gserviceaccount.com');
		expect(shellQuote('https://a.run.app/x?y=1&z')).toBe(`'https://a.run.app/x?y=1&z'`);
		expect(shellQuote(`it's $(rm -rf /)`)).toBe(`'it'\\''s $(rm -rf /)'`);
		expect(shellQuote('')).toBe(`''`);
	});

	it('joins the words of a command', () => {
		expect(command('gcloud', 'run', 'services', 'update', 'hello', '--add-custom-audiences=https://x.example/a b')).toBe(
			`gcloud run services update hello '--add-custom-audiences=https://x.example/a b'`,
		);
	});
});
