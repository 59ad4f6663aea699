// What comes back from the consent page, by either way: the loopback server's query, or what the user pasted.

/**
 * What came back: a code, or the authorization server's error. An address always carries the sign-in's `state`; one
 * without it is forged. Only a code pasted alone (`codeAlone`) has no state to check: the user typed it themselves.
 */
export type Answer = {code: string; state?: string; codeAlone?: true} | {error: string; description?: string; state?: string};

/**
 * Reads what the user pasted: the whole address the browser ended on (with or without http://), or just the code.
 * Undefined when it is neither.
 */
export function parseAnswer(text: string): Answer | undefined {
	const pasted = text.trim();
	if (!pasted) return undefined;
	const afterMark = pasted.includes('?') ? pasted.slice(pasted.indexOf('?') + 1).replace(/#.*$/, '') : undefined;
	const query = afterMark ?? (/^(code|error|state)=/.test(pasted) ? pasted : undefined);
	if (query !== undefined) {
		const params = new URLSearchParams(query);
		const state = params.get('state') ?? undefined;
		const error = params.get('error');
		if (error) return {error, description: params.get('error_description') ?? undefined, state};
		const code = params.get('code');
		return code ? {code, state} : undefined;
	}
	if (/\s|:\/\//.test(pasted) || pasted.length < 10) return undefined;
	// Copied out of the address bar, a code keeps its escapes (4%2F0A…).
	try {
		return {code: decodeURIComponent(pasted), codeAlone: true};
	} catch {
		return undefined;
	}
}
