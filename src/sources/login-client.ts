import {TokscopeError} from '../core/errors.js';
import {rememberSecret} from '../core/secrets.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {readUserFile} from '../io/file.js';
import {parseJsonObject} from './credential-file.js';
import {googleAuthUrl, googleTokenUrl} from '../core/google.js';
import {isLoopbackHost} from '../core/hosts.js';
import {foreignUrlWarnings} from './endpoints.js';

// The OAuth client file a user downloads from the Cloud Console (APIs & Services → Credentials → Download JSON):
// `{"installed": {...}}` for a Desktop app client, `{"web": {...}}` for a Web application client. Its auth_uri and
// token_uri are where the sign-in goes, so any Google-compatible server (the emulator among them) needs no special case.

/** Where the browser is sent back to: a desktop client takes any port (RFC 8252 §7.3), a web client only what it lists. */
export interface LoopbackRedirect {
	/** A loopback host as the URL names it (`127.0.0.1`, `localhost`, `[::1]`). */
	host: string;
	/** 0: any free port (desktop clients). */
	port: number;
	path: string;
}

export interface OAuthClientFile {
	path: string;
	kind: 'installed' | 'web';
	clientId: string;
	clientSecret: string;
	authUri: string;
	tokenUri: string;
	projectId?: string;
	redirect: LoopbackRedirect;
	/** auth_uri or token_uri pointing away from Google: the code and the client secret would be sent there. */
	warnings: string[];
}

/** Reads and checks a client file; every failure is one sentence naming the file and what to download instead. */
export async function readOAuthClientFile(path: string): Promise<OAuthClientFile> {
	return parseOAuthClientJson(await readUserFile(path, {what: 'The OAuth client file'}), path);
}

export function parseOAuthClientJson(text: string, path: string): OAuthClientFile {
	const record = parseJsonObject(text, `The OAuth client file ${path}`);
	const download = 'download a Desktop app client from APIs & Services → Credentials in the Cloud Console';
	if (typeof record.type === 'string') {
		const what = record.type === 'service_account' ? 'a service-account key' : `a ${terminalSafe(record.type.slice(0, 40))} credential`;
		throw new TokscopeError('file', `${path} is ${what}, not an OAuth client file: ${download} (its JSON has an "installed" section).`);
	}
	const kind = 'installed' in record ? 'installed' : 'web' in record ? 'web' : undefined;
	const section = kind ? record[kind] : undefined;
	if (!kind || !section || typeof section !== 'object' || Array.isArray(section)) {
		throw new TokscopeError('file', `The OAuth client file ${path} has neither an "installed" nor a "web" section: ${download}.`);
	}
	const client = section as Record<string, unknown>;
	const field = (name: string) => (typeof client[name] === 'string' && client[name] !== '' ? (client[name] as string) : undefined);
	rememberSecret(field('client_secret'));
	const missing = ['client_id', 'client_secret'].filter(name => !field(name));
	if (missing.length > 0) {
		throw new TokscopeError('file', `The OAuth client file ${path} is missing ${missing.map(name => `"${name}"`).join(' and ')}.`);
	}
	const authUri = field('auth_uri') ?? googleAuthUrl;
	const tokenUri = field('token_uri') ?? googleTokenUrl;
	for (const [name, value] of [
		['auth_uri', authUri],
		['token_uri', tokenUri],
	] as const) {
		if (!/^https?:\/\//.test(value) || !URL.canParse(value))
			throw new TokscopeError('file', `The ${name} in ${path} is not an http(s) URL.`);
	}
	const listed = Array.isArray(client.redirect_uris) ? (client.redirect_uris as unknown[]) : [];
	const redirectUris = listed.filter((uri): uri is string => typeof uri === 'string');
	return {
		path,
		kind,
		clientId: field('client_id')!,
		clientSecret: field('client_secret')!,
		authUri,
		tokenUri,
		projectId: field('project_id'),
		redirect: kind === 'installed' ? {host: '127.0.0.1', port: 0, path: '/'} : webRedirect(redirectUris, path),
		warnings: foreignUrlWarnings(
			[
				['auth_uri', authUri],
				['token_uri', tokenUri],
			],
			path,
		),
	};
}

/**
 * A web client's redirect must match one it lists exactly, port included, so the sign-in listens where that one points;
 * one that lists no loopback address cannot come back to a program on this machine.
 */
function webRedirect(uris: string[], path: string): LoopbackRedirect {
	for (const uri of uris) {
		const url = URL.parse(uri);
		const loopback = url?.protocol === 'http:' && isLoopbackHost(url.hostname);
		if (!url || !loopback || !(Number(url.port) > 0)) continue;
		return {host: url.hostname, port: Number(url.port), path: url.pathname};
	}
	throw new TokscopeError(
		'file',
		`The web client in ${path} allows no loopback redirect with a port (such as http://127.0.0.1:8085/), ` +
			'so the browser cannot come back to tokscope.',
		{hint: 'Add one under Authorized redirect URIs in the Cloud Console, or create a Desktop app client (it takes any port).'},
	);
}
