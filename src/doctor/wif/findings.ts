import type {Cause} from '../../core/cause.js';

// What tokscope's own checks found (the federation's rules), weighed, and how they join the causes an answer names.
// Apart from evaluate.ts so the report can merge them without loading the CEL evaluator.

export interface Finding extends Cause {
	/** How sure the evidence makes it, as doctor's causes weigh theirs (100: what STS itself would say). */
	weight: number;
}

/**
 * The answer's causes with what the evaluation found: a finding of the same code says the same thing more exactly (the
 * rule, the values), so it takes that cause's place; the others follow, surest first. Each code once.
 */
export function mergeFindings(causes: Cause[], findings: Finding[]): Cause[] {
	const sorted = [...findings].sort((a, b) => b.weight - a.weight);
	const merged: Cause[] = causes.map(cause => {
		const exact = sorted.find(finding => finding.code === cause.code);
		return exact ? {code: exact.code, sentence: exact.sentence, fix: exact.fix ?? cause.fix} : cause;
	});
	for (const {code, sentence, fix} of sorted) if (!merged.some(cause => cause.code === code)) merged.push({code, sentence, fix});
	return merged;
}
