import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {limitDepth, maxJsonDepth, nestedTooDeep, parseJson} from '../../src/core/json.js';

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const depthOf = (value: unknown): number =>
	value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;

describe('parseJson', () => {
	it('parses JSON, and gives undefined for anything else', () => {
		expect(parseJson('{"keys": [1, "two"]}')).toEqual({keys: [1, 'two']});
		expect(parseJson('<html>')).toBeUndefined();
		expect(parseJson('')).toBeUndefined();
	});

	it('replaces what nests deeper than 64 levels with a sentence, and the rest stays', () => {
		const value = parseJson(`{"iss": "x", "deep": ${nested(6000)}}`) as {iss: string; deep: unknown};
		expect(value.iss).toBe('x');
		expect(depthOf(value)).toBe(maxJsonDepth);
		expect(JSON.stringify(value)).toContain(JSON.stringify(nestedTooDeep));
		expect(nestedTooDeep).toBe('…nested deeper than 64 levels');
	});

	it('keeps "__proto__" an ordinary key, as JSON.parse does', () => {
		const value = parseJson(`{"__proto__": {"polluted": true}, "deep": ${nested(100)}}`) as Record<string, unknown>;
		expect(Object.keys(value)).toEqual(['__proto__', 'deep']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
	});
});

describe('limitDepth', () => {
	it('returns a value within the limit as it is, not a copy', () => {
		const claims = {aud: ['a', 'b'], nested: {x: {y: 1}}};
		expect(limitDepth(claims)).toBe(claims);
	});

	it('never leaves anything deeper than the limit, whatever the value', () => {
		fc.assert(
			fc.property(fc.jsonValue({maxDepth: 12}), fc.integer({min: 1, max: 6}), (value, limit) => {
				const limited = limitDepth(value, limit);
				expect(depthOf(limited)).toBeLessThanOrEqual(limit);
				if (depthOf(value) <= limit) expect(limited).toBe(value);
			}),
			{numRuns: 300},
		);
	});
});
