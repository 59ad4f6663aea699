import {TokscopeError} from '../core/errors.js';
import {rememberPrivateKey, rememberSecret} from '../core/secrets.js';
import {readUserFile} from '../io/file.js';
import type {SourceOptions} from './types.js';

export const credentialTypes = [
	'service_account',
	'authorized_user',
	'impersonated_service_account',
	'external_account',
	'external_account_authorized_user',
] as const;
export type CredentialType = (typeof credentialTypes)[number];

export interface CredentialFile {
	path: string;
	type: CredentialType;
	json: Record<string, unknown>;
}

const required: Record<CredentialType, string[]> = {
	service_account: ['client_email', 'private_key'],
	authorized_user: ['client_id', 'client_secret', 'refresh_token'],
	impersonated_service_account: ['service_account_impersonation_url', 'source_credentials'],
	external_account: ['audience', 'subject_token_type', 'token_url', 'credential_source'],
	external_account_authorized_user: ['refresh_token', 'token_url', 'client_id'],
};

/** Reads and checks a credential file; every failure names the file and what is wrong with it. */
export async function readCredentialFile(path: string): Promise<CredentialFile> {
	// Regular files only, at most 1 MiB: a FIFO or /dev/urandom named as a key must not hang or fill memory.
	return parseCredentialJson(await readUserFile(path, {what: 'The credential file'}), path);
}

/** The JSON object a file the user named holds; `what` names it in the sentence when it holds none ("The credential file P"). */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new TokscopeError('file', `${what} is not valid JSON${text.trim() === '' ? ' (it is empty)' : ' (it may be truncated)'}.`);
	}
	if (!json || typeof json !== 'object' || Array.isArray(json)) throw new TokscopeError('file', `${what} does not hold a JSON object.`);
	return json as Record<string, unknown>;
}

export function parseCredentialJson(text: string, path: string): CredentialFile {
	const record = parseJsonObject(text, `The credential file ${path}`);
	rememberFileSecrets(record);
	const type = record.type;
	if (typeof type !== 'string' || !(credentialTypes as readonly string[]).includes(type)) {
		throw new TokscopeError(
			'file',
			`The credential file ${path} has ` +
				`${typeof type === 'string' ? `an unknown type "${type.slice(0, 40)}"` : 'no "type" field'}; expected one ` +
				`of ${credentialTypes.join(', ')}.`,
		);
	}
	const missing = required[type as CredentialType].filter(field => record[field] === undefined || record[field] === '');
	if (missing.length > 0)
		throw new TokscopeError('file', `The ${type} file ${path} is missing ${missing.map(field => `"${field}"`).join(' and ')}.`);
	return {path, type: type as CredentialType, json: record};
}

/**
 * The secrets a credential file holds (a key's private_key, a refresh token, a client secret; an impersonation file's
 * source_credentials hold them one level down), remembered by value before anything is sent with them.
 */
function rememberFileSecrets(record: Record<string, unknown>, depth = 0): void {
	rememberPrivateKey(record.private_key);
	rememberSecret(record.refresh_token);
	rememberSecret(record.client_secret);
	const inner = record.source_credentials;
	if (depth < 8 && inner && typeof inner === 'object' && !Array.isArray(inner))
		rememberFileSecrets(inner as Record<string, unknown>, depth + 1);
}

/**
 * The file a key-file or external source was given (--key-file, else $GOOGLE_APPLICATION_CREDENTIALS), when it is of a
 * type that source uses; `origin` says where it came from, for describe().
 */
export async function credentialFileFor(
	options: SourceOptions,
	expected: CredentialType[],
): Promise<{file: CredentialFile; origin: string}> {
	const path = options.keyFile ?? (options.env ?? process.env).GOOGLE_APPLICATION_CREDENTIALS;
	if (!path) throw new TokscopeError('no-credential', `The ${options.source} source needs a credential file: pass --key-file PATH.`);
	const file = await readCredentialFile(path);
	if (!expected.includes(file.type)) {
		const article = /^[aeiou]/.test(file.type) ? 'an' : 'a';
		const instead = file.type === 'service_account' ? 'key-file' : 'adc';
		throw new TokscopeError(
			'file',
			`${path} is ${article} ${file.type} file, not ${expected.join(' or ')}; pick the ${instead} source for it.`,
		);
	}
	return {file, origin: `${file.type} file ${path}${options.keyFile ? '' : ' (from $GOOGLE_APPLICATION_CREDENTIALS)'}`};
}
