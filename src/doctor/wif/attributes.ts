import {CelScalar, celMethod, isCelError, parse, run, unparse, type CelInput, type CelValue} from '@bufbuild/cel';

// A workload identity provider's attributeMapping and attributeCondition, evaluated as STS evaluates them: each is a
// CEL expression over the token's claims (`assertion`), the condition over the mapped attributes too (`google`,
// `attribute`). https://cloud.google.com/iam/docs/workload-identity-federation#mapping and #conditions.
//
// The evaluator is @bufbuild/cel (cel-es): a complete CEL implementation in TypeScript, maintained by Buf, which runs
// the CEL project's own conformance suite (it ships it as @bufbuild/cel-spec) and has no native code. The other
// JavaScript evaluators (cel-js, @marcbachmann/cel-js) implement a subset and test against their own cases only.
// doctor and the emulator's STS both evaluate with this file, so a test of one is a test of the other.

/** IAM's limit for google.subject: "The size of mapped attribute exceeds the 127 bytes limit." (test/fixtures/real-world/sts/). */
export const maxSubjectBytes = 127;

/** Google's extension to CEL for mappings: `assertion.sub.extract('repo:{repo}:')` is what stands between the two. */
const extract = celMethod('extract', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (template) {
	const match = /^(.*?)\{[^{}]*\}(.*)$/s.exec(template);
	if (!match) return '';
	const [, prefix = '', suffix = ''] = match;
	const start = this.indexOf(prefix);
	if (start < 0) return '';
	const rest = this.slice(start + prefix.length);
	if (suffix === '') return rest;
	const end = rest.indexOf(suffix);
	return end < 0 ? '' : rest.slice(0, end);
});

export type Claims = Record<string, unknown>;

export interface MappedAttribute {
	/** `google.subject`, `attribute.repository`, … */
	key: string;
	expression: string;
	/** The value, as JSON would show it; undefined when the expression failed. */
	value?: unknown;
	/** Why the expression could not be evaluated: a claim the token lacks, a typo CEL refuses. */
	error?: string;
}

export interface ConditionResult {
	holds: boolean;
	/** The first part of a condition `a && b && …` that does not hold (the whole condition when it has one part). */
	failingRule?: string;
	/** The claims and attributes that part reads, with the values it saw. */
	saw?: Record<string, unknown>;
	/** Why it could not be evaluated. */
	error?: string;
}

/** Whether CEL parses the expression; the sentence of its syntax error when it does not. */
export function celSyntaxError(expression: string): string | undefined {
	try {
		parse(expression);
		return undefined;
	} catch (error) {
		return firstLine(error);
	}
}

/** Evaluates each mapping rule against the claims. */
export function mapAttributes(mapping: Record<string, string>, claims: Claims): MappedAttribute[] {
	return Object.entries(mapping).map(([key, expression]) => {
		const result = evaluate(expression, {assertion: claims});
		return 'error' in result ? {key, expression, error: result.error} : {key, expression, value: result.value};
	});
}

/** The mapped attributes as the condition and IAM see them: `google.subject` → {google: {subject}}. */
export function attributeBindings(mapped: MappedAttribute[]): {google: Record<string, unknown>; attribute: Record<string, unknown>} {
	const google: Record<string, unknown> = {};
	const attribute: Record<string, unknown> = {};
	for (const {key, value} of mapped) {
		if (value === undefined) continue;
		const [namespace, ...rest] = key.split('.');
		const name = rest.join('.');
		if (namespace === 'google') google[name] = value;
		else if (namespace === 'attribute') attribute[name] = value;
	}
	return {google, attribute};
}

/** Evaluates the condition; when it does not hold, the first of its top-level `&&` parts that does not. */
export function evaluateCondition(condition: string, claims: Claims, mapped: MappedAttribute[]): ConditionResult {
	const bindings = {assertion: claims, ...attributeBindings(mapped)};
	const whole = evaluate(condition, bindings);
	if (!('error' in whole) && whole.value === true) return {holds: true};
	const parts = conjuncts(condition);
	for (const part of parts) {
		const result = evaluate(part, bindings);
		if ('error' in result || result.value !== true) {
			return {
				holds: false,
				failingRule: part,
				saw: referencedValues(part, bindings),
				...('error' in result ? {error: result.error} : {}),
			};
		}
	}
	return {
		holds: false,
		failingRule: condition,
		saw: referencedValues(condition, bindings),
		...('error' in whole ? {error: whole.error} : {}),
	};
}

/** Byte length of google.subject as IAM counts it (UTF-8). */
export function subjectBytes(mapped: MappedAttribute[]): number | undefined {
	const subject = mapped.find(attribute => attribute.key === 'google.subject')?.value;
	return typeof subject === 'string' ? Buffer.byteLength(subject, 'utf8') : undefined;
}

function evaluate(expression: string, bindings: Record<string, unknown>): {value: unknown} | {error: string} {
	let result: CelValue | ReturnType<typeof run>;
	try {
		result = run(expression, bindings as Record<string, CelInput>, {funcs: [extract]});
	} catch (error) {
		return {error: firstLine(error)};
	}
	if (isCelError(result)) return {error: firstLine(result)};
	return {value: plain(result)};
}

/** A CEL value as JSON shows it: lists and maps as arrays and objects, ints as numbers. */
function plain(value: unknown): unknown {
	if (typeof value === 'bigint') return Number(value);
	if (value === null || typeof value !== 'object') return value;
	const iterable = value as {[Symbol.iterator]?: unknown; entries?: () => Iterable<[unknown, unknown]>; size?: number};
	if (typeof iterable.entries === 'function' && typeof iterable.size === 'number' && !Array.isArray(value)) {
		try {
			return Object.fromEntries([...iterable.entries()].map(([key, item]) => [String(key), plain(item)]));
		} catch {
			// Not a map after all.
		}
	}
	if (typeof iterable[Symbol.iterator] === 'function') return [...(value as Iterable<unknown>)].map(plain);
	return value;
}

/** The top-level parts of `a && b && c`, each as CEL text; the expression itself when it is not a conjunction. */
function conjuncts(expression: string): string[] {
	let parsed;
	try {
		parsed = parse(expression);
	} catch {
		return [expression];
	}
	const parts: string[] = [];
	const walk = (expr: typeof parsed.expr) => {
		const kind = expr.exprKind;
		if (kind.case === 'callExpr' && kind.value.function === '_&&_') {
			for (const arg of kind.value.args) walk(arg);
		} else parts.push(unparse(expr));
	};
	walk(parsed.expr);
	return parts.length > 0 ? parts : [expression];
}

/** The values of every `assertion.x`, `attribute.x` and `google.x` a rule reads (missing ones as undefined). */
function referencedValues(rule: string, bindings: Record<string, unknown>): Record<string, unknown> {
	const saw: Record<string, unknown> = {};
	for (const match of rule.matchAll(/\b(assertion|attribute|google)(?:\.([A-Za-z_]\w*)|\[\s*["']([^"'\]]{1,100})["']\s*\])/g)) {
		const [, root = '', dotted, quoted] = match;
		const name = dotted ?? quoted ?? '';
		const value = (bindings[root] as Record<string, unknown> | undefined)?.[name];
		saw[`${root}.${name}`] = value === undefined ? '(not in the token)' : value;
	}
	return saw;
}

function firstLine(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return (message.split('\n')[0] ?? '').replace(/^<input>:/, '');
}
