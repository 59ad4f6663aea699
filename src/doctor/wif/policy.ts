import {TokscopeError} from '../../core/errors.js';
import {command} from '../../core/shell-quote.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {readUserFile} from '../../io/file.js';
import {parseJsonObject} from '../../sources/credential-file.js';

// Who may act as a service account, for a federated identity: a principal:// or principalSet:// member of a binding
// that grants roles/iam.workloadIdentityUser (or Token Creator) on it, matched against the attributes the provider
// mapped. The member forms: https://cloud.google.com/iam/docs/principal-identifiers#v1 (workload identity pools).

/** Roles that let a federated principal mint tokens for a service account. */
export const impersonationRoles = ['roles/iam.workloadIdentityUser', 'roles/iam.serviceAccountTokenCreator'];

export interface Policy {
	bindings: Array<{role: string; members: string[]}>;
}

export interface Attributes {
	google: Record<string, unknown>;
	attribute: Record<string, unknown>;
}

/** A policy as `gcloud iam service-accounts get-iam-policy SA --format=json` prints it; one sentence when it is not one. */
export function parsePolicy(json: Record<string, unknown>, what: string): Policy {
	const bindings = json.bindings ?? [];
	const valid =
		Array.isArray(bindings) &&
		bindings.every(
			binding =>
				typeof binding === 'object' &&
				binding !== null &&
				typeof (binding as {role?: unknown}).role === 'string' &&
				Array.isArray((binding as {members?: unknown}).members),
		);
	if (!valid || (json.bindings === undefined && json.etag === undefined)) {
		throw new TokscopeError(
			'file',
			`${what} is not an IAM policy: it needs "bindings" of {role, members} (write it with gcloud iam service-accounts ` +
				'get-iam-policy SA_EMAIL --format=json).',
		);
	}
	return {
		bindings: (bindings as Array<{role: string; members: unknown[]}>).map(({role, members}) => ({
			role,
			members: members.filter((member): member is string => typeof member === 'string'),
		})),
	};
}

export async function readPolicyFile(path: string): Promise<Policy> {
	const what = `The policy file ${path}`;
	return parsePolicy(parseJsonObject(await readUserFile(path, {what: 'The policy file'}), what), what);
}

/** Whether a member names the federated identity: same pool, and a subject, group or attribute it has. */
export function memberMatches(member: string, pool: string, attributes: Attributes): boolean {
	const bare = pool.replace(/^\/\/iam\.googleapis\.com\//, '');
	const prefix = member.startsWith('principal://')
		? `principal://iam.googleapis.com/${bare}/`
		: `principalSet://iam.googleapis.com/${bare}/`;
	if (!member.startsWith(prefix)) return false;
	const rest = member.slice(prefix.length);
	if (member.startsWith('principal://')) return rest.startsWith('subject/') && rest.slice('subject/'.length) === attributes.google.subject;
	if (rest === '*') return true;
	if (rest.startsWith('group/')) {
		const groups = attributes.google.groups;
		return Array.isArray(groups) && groups.includes(rest.slice('group/'.length));
	}
	const attribute = /^attribute\.([^/]+)\/(.+)$/.exec(rest);
	if (!attribute) return false;
	const value = attributes.attribute[attribute[1]!];
	const text = (item: unknown) => (typeof item === 'string' ? item : JSON.stringify(item));
	return Array.isArray(value) ? value.map(text).includes(attribute[2]!) : value !== undefined && text(value) === attribute[2];
}

export interface PolicyVerdict {
	/** The member (and its role) that lets the identity in; undefined when none does. */
	granted?: {member: string; role: string};
	/** Members of the pool that do not match, each with what it wants. */
	nearMisses: string[];
	/** The command that would let it in. */
	fix: string;
}

/** Judges the policy for the identity the provider mapped; `serviceAccount` names the account in the fix. */
export function judgePolicy(policy: Policy, pool: string, attributes: Attributes, serviceAccount: string | undefined): PolicyVerdict {
	const roles = policy.bindings.filter(binding => impersonationRoles.includes(binding.role));
	for (const {role, members} of roles) {
		const member = members.find(candidate => memberMatches(candidate, pool, attributes));
		if (member) return {granted: {member, role}, nearMisses: [], fix: bindingCommand(pool, attributes, serviceAccount)};
	}
	const nearMisses = roles.flatMap(({members}) =>
		members.filter(member => /^principal(Set)?:\/\//.test(member)).map(member => nearMiss(member, pool, attributes)),
	);
	return {nearMisses, fix: bindingCommand(pool, attributes, serviceAccount)};
}

function nearMiss(member: string, pool: string, attributes: Attributes): string {
	const shown = terminalSafe(member).slice(0, 300);
	const bare = pool.replace(/^\/\/iam\.googleapis\.com\//, '');
	if (!member.includes(`/${bare}/`)) return `${shown} names another pool (or the project by its ID) than ${bare}.`;
	const attribute = /\/attribute\.([^/]+)\/(.+)$/.exec(member);
	if (attribute) {
		const mapped = attributes.attribute[attribute[1]!];
		return mapped === undefined
			? `${shown} wants attribute.${attribute[1]}, which the provider does not map.`
			: `${shown} wants attribute.${attribute[1]} = ${attribute[2]}; the token maps ${JSON.stringify(mapped)}.`;
	}
	const subject = /\/subject\/(.+)$/.exec(member);
	if (subject) return `${shown} wants google.subject = ${subject[1]}; the token maps ${JSON.stringify(attributes.google.subject)}.`;
	return `${shown} does not match the token's attributes.`;
}

/**
 * The binding for this identity: the repository when the provider maps it (GitHub's recommended principalSet), else
 * the one subject.
 */
export function bindingCommand(pool: string, attributes: Attributes, serviceAccount: string | undefined): string {
	const bare = pool.replace(/^\/\/iam\.googleapis\.com\//, '');
	const repository = attributes.attribute.repository;
	const subject = typeof attributes.google.subject === 'string' ? attributes.google.subject : 'SUBJECT';
	const member =
		typeof repository === 'string'
			? `principalSet://iam.googleapis.com/${bare}/attribute.repository/${repository}`
			: `principal://iam.googleapis.com/${bare}/subject/${subject}`;
	return command(
		'gcloud',
		'iam',
		'service-accounts',
		'add-iam-policy-binding',
		serviceAccount ?? 'SA_EMAIL',
		'--role=roles/iam.workloadIdentityUser',
		`--member=${member}`,
	);
}
