// The test plays the user's browser in a sign-in: it loads the authorization URL, submits the consent page's Allow or
// Deny form with plain HTTP, and returns where the browser is sent back (the loopback address with code and state).

/** Loads the consent page at `url` and submits `decision`; the 302's Location, not followed. */
export async function consent(url: string, decision: 'allow' | 'deny'): Promise<URL> {
	const page = await fetch(url);
	if (page.status !== 200) throw new Error(`the authorization URL answered ${page.status}: ${await page.text()}`);
	const html = await page.text();
	const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
	const form = /name="consent" value="([^"]+)"/.exec(html)?.[1];
	if (!action || !form) throw new Error(`no consent form on the page:\n${html}`);
	const answer = await fetch(new URL(action, url), {
		method: 'POST',
		body: new URLSearchParams({consent: form, decision}),
		redirect: 'manual',
	});
	if (answer.status !== 302) throw new Error(`the consent form answered ${answer.status}`);
	return new URL(answer.headers.get('location')!);
}

/** Follows the redirect back to tokscope's loopback server, as the browser does; its status and page. */
export async function followBack(location: URL): Promise<{status: number; page: string}> {
	const back = await fetch(location);
	return {status: back.status, page: await back.text()};
}

/** The same authorization URL with another PKCE challenge: the code it yields is bound to a verifier tokscope lacks. */
export function withForeignChallenge(url: string): string {
	const changed = new URL(url);
	changed.searchParams.set('code_challenge', 'A'.repeat(43));
	return changed.toString();
}

/** The first URL on a line of its own in `text` that starts with `prefix`. */
export function urlLine(text: string, prefix: string): string | undefined {
	return text
		.split('\n')
		.find(line => line.startsWith(prefix))
		?.trim();
}
