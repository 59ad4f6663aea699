/**
 * How deep JSON from a server, a file or a token may nest before the rest is cut. Real claims and key sets nest two or
 * three levels; a token nesting 6,000 deep made every recursive walk downstream (JSON.stringify, the claims table)
 * overflow the stack. V8's JSON.parse itself does not recurse, so parsing such text is safe; keeping it is not.
 */
export const maxJsonDepth = 64;

/** What stands in for a value nested deeper than the limit. */
export const nestedTooDeep = `…nested deeper than ${maxJsonDepth} levels`;

/**
 * The value with every array or object below `maxDepth` levels replaced by a short sentence. The walk itself stops at
 * `maxDepth`, so it never recurses deeper than that. A value within the limit is returned as it is, not copied.
 */
export function limitDepth<T>(value: T, maxDepth = maxJsonDepth): T {
	return cut(value, 1, maxDepth) as T;
}

function cut(value: unknown, level: number, maxDepth: number): unknown {
	if (value === null || typeof value !== 'object') return value;
	if (level > maxDepth) return maxDepth === maxJsonDepth ? nestedTooDeep : `…nested deeper than ${maxDepth} levels`;
	if (Array.isArray(value)) {
		const items = value.map(item => cut(item, level + 1, maxDepth));
		return items.every((item, index) => item === value[index]) ? value : items;
	}
	const entries = Object.entries(value);
	const limited = entries.map(([key, item]) => [key, cut(item, level + 1, maxDepth)] as const);
	// fromEntries defines "__proto__" as an own key, as JSON.parse does, instead of setting the prototype.
	return limited.every(([, item], index) => item === entries[index]![1]) ? value : Object.fromEntries(limited);
}

/** Parses JSON text with its depth bounded (see limitDepth); undefined when the text is not JSON. */
export function parseJson(text: string, maxDepth = maxJsonDepth): unknown {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return undefined;
	}
	return limitDepth(value, maxDepth);
}
