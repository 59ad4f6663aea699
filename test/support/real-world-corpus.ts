import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

// The corpus of answers Google's products really returned (test/fixtures/real-world/README.md): one file per answer,
// read here once for every test that replays them.

export const corpusDirectory = fileURLToPath(new URL('../fixtures/real-world/', import.meta.url));

export const products = [
	'cloud-run',
	'cloud-functions',
	'iap',
	'api-gateway',
	'google-api',
	'token-endpoint',
	'iam-credentials',
	'sts',
	'metadata',
] as const;
export type Product = (typeof products)[number];

export const tokenKinds = ['id-token', 'access-token', 'self-signed-jwt', 'refresh-token', 'external-oidc', 'api-key', 'none'] as const;

export interface RealAnswer {
	/** Where the answer was quoted: an issue thread, a pull request, a troubleshooting page. */
	source: string;
	product: Product;
	request: {
		method?: string;
		url?: string;
		headers?: Record<string, string>;
		grant?: string;
		audience?: string;
		subject?: string;
		scopes?: string[];
		body?: string;
		token: {kind: (typeof tokenKinds)[number]; audience?: string; scopes?: string[]; issuer?: string; principal?: string};
	};
	response: {
		status: number;
		/** Where the status comes from when the thread does not show it (Google's documentation of that answer). */
		statusFrom?: string;
		grpcStatus?: string;
		/** Only the headers the thread quotes, names in lower case. */
		headers?: Record<string, string>;
		/** Verbatim, as far as the thread quotes it. */
		body: string;
		/** The thread quotes only part of the body (a message a client library printed, or a cut excerpt). */
		partial?: boolean;
		/** The reason a client printed beside a partial body (OAuth `error`, legacy `errors[].reason`). */
		reason?: string;
		/** google.rpc details a client printed apart from a partial body. */
		details?: unknown[];
	};
	cause: string;
	fix: string;
	causeCode: string;
	note?: string;
}

/** The products whose answers are a service's refusal of a call (the rest are answers met while minting). */
export const serviceProducts: ReadonlySet<Product> = new Set(['cloud-run', 'cloud-functions', 'iap', 'api-gateway', 'google-api']);

/**
 * What doctor cannot tell from one answer and the token alone, with why: for these the thread's cause is among the
 * causes, not first. Every other fixture must have it first (test/doctor/corpus-causes.test.ts, and over HTTPS at the
 * product's name, test/sealed/real-world.test.ts).
 */
export const expectedMisses: Readonly<Record<string, string>> = {
	'cloud-functions/path-without-function-name':
		'Cloud Functions answers 403 both for a path that names no function and for a caller without the invoker role; doctor ranks ' +
		'the role first and names the URL second.',
	'token-endpoint/jwt-times-in-milliseconds':
		'tokscope signs its own assertions with correct times, so for it a wrong clock is likelier than a library bug; the thread’s ' +
		'cause comes second.',
};

/** A fixture's URL as a URL: the thread's notes (" (gRPC)") and redaction marks (<>{}*) dropped. */
export function fixtureUrl(text: string | undefined): URL {
	return new URL((text ?? 'https://example.invalid/').replace(/\s*\(.*\)$/, '').replace(/[<>{}*]/g, ''));
}

/**
 * The body as Google sent it, as far as the fixture tells: a partial quote of the token endpoint's or STS's error put back
 * in OAuth's JSON shape when the thread gives the `error` beside its description; any other body verbatim.
 */
export function bodyAsSent({product, response}: RealAnswer): string {
	return response.partial && response.reason && ['token-endpoint', 'sts'].includes(product)
		? JSON.stringify({error: response.reason, error_description: response.body})
		: response.body;
}

export interface CorpusEntry {
	/** `product/slug`, the file's path without `.json`. */
	name: string;
	answer: RealAnswer;
}

export function loadCorpus(): CorpusEntry[] {
	return readdirSync(corpusDirectory, {withFileTypes: true})
		.filter(entry => entry.isDirectory())
		.flatMap(directory =>
			readdirSync(path.join(corpusDirectory, directory.name))
				.filter(file => file.endsWith('.json'))
				.map(file => ({
					name: `${directory.name}/${file.slice(0, -'.json'.length)}`,
					answer: JSON.parse(readFileSync(path.join(corpusDirectory, directory.name, file), 'utf8')) as RealAnswer,
				})),
		)
		.sort((a, b) => a.name.localeCompare(b.name));
}
