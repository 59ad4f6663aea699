import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {corpusDirectory, loadCorpus, products, tokenKinds} from '../support/real-world-corpus.js';

// The corpus is only worth something if every file says where it came from and what Google sent, in one shape.

const corpus = loadCorpus();
const isHttps = (text: unknown) => typeof text === 'string' && URL.canParse(text) && new URL(text).protocol === 'https:';

describe('the real-world corpus', () => {
	it('holds at least 60 answers, every product represented', () => {
		expect(corpus.length).toBeGreaterThanOrEqual(60);
		expect(new Set(corpus.map(entry => entry.answer.product))).toEqual(new Set(products));
	});

	it.each(corpus)('$name is a complete fixture', ({name, answer}) => {
		expect(isHttps(answer.source), 'source is an https address').toBe(true);
		expect(products).toContain(answer.product);
		expect(name.split('/')[0], 'filed under its product').toBe(answer.product);
		expect(tokenKinds).toContain(answer.request.token.kind);
		if (answer.request.url !== undefined) expect(answer.request.url).toMatch(/^https?:\/\//);

		const {response} = answer;
		expect(Number.isInteger(response.status) && response.status >= 100 && response.status <= 599, 'status').toBe(true);
		expect(typeof response.body).toBe('string');
		expect(response.body.trim()).not.toBe('');
		if (response.statusFrom !== undefined) expect(isHttps(response.statusFrom), 'statusFrom is an https address').toBe(true);
		if (response.partial !== undefined) expect(response.partial).toBe(true);
		for (const [header, value] of Object.entries(response.headers ?? {})) {
			expect(header, 'header names in lower case').toBe(header.toLowerCase());
			expect(typeof value).toBe('string');
		}

		expect(answer.cause.trim()).not.toBe('');
		expect(answer.fix.trim()).not.toBe('');
		expect(answer.causeCode).toMatch(/^[a-z]+(-[a-z]+)*$/);
	});

	it('a whole body that looks like JSON is JSON (a cut one says partial)', () => {
		for (const {name, answer} of corpus) {
			if (answer.response.partial || !/^\s*\{/.test(answer.response.body)) continue;
			expect(() => JSON.parse(answer.response.body), name).not.toThrow();
		}
	});

	it('the README counts the answers of each product as the files do', () => {
		const readme = readFileSync(path.join(corpusDirectory, 'README.md'), 'utf8');
		for (const product of products) {
			const count = corpus.filter(entry => entry.answer.product === product).length;
			expect(readme, product).toMatch(new RegExp(`^\\| \`${product}\` \\| ${count} \\|`, 'm'));
		}
		expect(readme).toMatch(new RegExp(`^\\| total \\| ${corpus.length} \\|`, 'm'));
	});
});
