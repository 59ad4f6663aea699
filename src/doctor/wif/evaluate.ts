import {decodeToken} from '../../core/decode.js';
import {command} from '../../core/shell-quote.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {formatDuration} from '../../core/times.js';
import type {Cause} from '../../core/cause.js';
import type {Finding} from './findings.js';
import {attributeBindings, evaluateCondition, mapAttributes, maxSubjectBytes, subjectBytes} from './attributes.js';
import {judgePolicy, type Policy} from './policy.js';
import {allowedAudiences, type Provider} from './provider.js';
import {audienceProblems, iamResourcePrefix, parseProviderName, poolResource} from './provider-name.js';

// Workload identity federation judged without a request: the config's audience as a provider's name, the subject
// token's iss/aud/exp/iat against the provider, its attribute mapping and condition run on the token's claims (CEL),
// and the service account's policy against the mapped attributes. What STS and IAM would refuse, said before they do,
// naming the rule and the values it saw. Pure: the files are read by the caller.

export interface FederationInput {
	/** The credential configuration's audience (the provider STS is asked for). */
	audience?: string;
	/** The subject token, as read. */
	token?: string;
	provider?: Provider;
	policy?: Policy;
	/** The service account the config impersonates. */
	serviceAccount?: string;
	now: Date;
}

export interface FederationVerdict {
	/** What was evaluated, by name, for the step's answer. */
	answer: Record<string, string>;
	findings: Finding[];
}

/** Clocks disagree by seconds; STS's own leeway is not published, so a minute is called skew here. */
const skewSeconds = 60;

export function evaluateFederation(input: FederationInput): FederationVerdict {
	const answer: Record<string, string> = {};
	const findings: Finding[] = [];
	const {provider, now} = input;
	const add = (code: Cause['code'], weight: number, sentence: string, fix: string | null) => findings.push({code, weight, sentence, fix});
	const names =
		provider?.parts ?? (input.audience ? parseProviderName(input.audience.replace(/^\/\/iam\.googleapis\.com\//, '')) : undefined);
	const describe = providerCommand(names, 'describe', `--project=${names?.project ?? ''}`, '--format=json');

	// The audience: a provider's full name, with the project's number.
	if (input.audience !== undefined) {
		const problems = audienceProblems(input.audience);
		answer.audience = problems.length === 0 ? 'a provider’s full resource name' : problems.join(' ');
		for (const problem of problems) add('wif-audience-format', 95, problem, describe);
		if (provider && problems.length === 0 && input.audience !== `${iamResourcePrefix}${provider.name}`) {
			add(
				'wif-audience-format',
				90,
				`The configuration asks STS for ${terminalSafe(input.audience)}, but the provider file describes ${provider.name}.`,
				null,
			);
		}
	}
	if (provider?.state && provider.state !== 'ACTIVE') {
		add('wif-audience-format', 95, `The provider ${provider.name} is ${provider.state}: STS answers for active providers only.`, null);
	}
	if (provider?.disabled) add('wif-audience-format', 95, `The provider ${provider.name} is disabled.`, null);

	if (input.token === undefined) return {answer, findings};
	const view = decodeToken(input.token);
	if (!view.claims) {
		if (provider) {
			add(
				'wif-token-not-jwt',
				100,
				'The subject token is not a JWT, and an OIDC provider exchanges only JWTs (header.payload.signature).',
				null,
			);
		}
		return {answer, findings};
	}
	const claims = view.claims;

	// The token against the provider (or, without one, against the default audience its name implies).
	const issuer = typeof claims.iss === 'string' ? claims.iss : undefined;
	const expectedIssuer = provider?.oidc?.issuerUri;
	if (expectedIssuer !== undefined) {
		const same = issuer !== undefined && issuer.replace(/\/+$/, '') === expectedIssuer.replace(/\/+$/, '');
		answer.issuer = same ? `${issuer} is the provider’s` : `${shown(issuer)} is not the provider’s ${expectedIssuer}`;
		if (!same) {
			add(
				'wif-issuer-mismatch',
				100,
				`The token's issuer ${shown(issuer)} is not the provider's issuer ${expectedIssuer} (oidc.issuerUri).`,
				issuer ? providerCommand(names, 'update-oidc', `--issuer-uri=${issuer}`) : null,
			);
		}
	}
	const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter((aud): aud is string => typeof aud === 'string');
	const allowed = provider
		? allowedAudiences(provider)
		: names?.provider
			? [`https://iam.googleapis.com/${poolPath(names)}`, `//iam.googleapis.com/${poolPath(names)}`]
			: [];
	if (allowed.length > 0) {
		const accepted = audiences.some(aud => allowed.includes(aud));
		answer.aud = accepted
			? `${audiences.join(', ')} is allowed`
			: `${audiences.join(', ') || '(none)'} is not among ${allowed[0]}${allowed.length > 1 ? ', …' : ''}`;
		if (!accepted) {
			const custom = provider?.oidc?.allowedAudiences?.length;
			add(
				'wif-token-audience',
				provider ? 100 : 45,
				`The token's aud (${audiences.join(', ') || 'none'}) is not an audience the provider allows: ` +
					(custom
						? `its allowedAudiences are ${allowed.join(', ')}.`
						: `by default that is ${allowed[0]}${provider ? '' : ' (unless the provider lists others)'}.`) +
					' Mint the token for that audience (google-github-actions/auth does; a job of your own asks for it).',
				null,
			);
		}
	}
	if (view.expiresAt && view.expiresAt.getTime() <= now.getTime()) {
		const ago = formatDuration(now.getTime() - view.expiresAt.getTime());
		answer.exp = `expired ${ago} ago`;
		add('token-expired', 100, `The subject token expired ${ago} ago: CI tokens live minutes, so fetch a new one for each exchange.`, null);
	}
	if (view.issuedAt && view.issuedAt.getTime() > now.getTime() + skewSeconds * 1000) {
		const ahead = formatDuration(view.issuedAt.getTime() - now.getTime());
		answer.iat = `${ahead} in the future`;
		add(
			'clock-skew',
			90,
			`The subject token was issued ${ahead} after this machine's now: one of the two clocks is off.`,
			command('sudo', 'timedatectl', 'set-ntp', 'true'),
		);
	}

	// The provider's rules, run on the claims.
	if (!provider) {
		if (input.policy) answer.policy = 'not judged: the token’s attributes are the provider’s mapping (give --provider)';
		return {answer, findings};
	}
	const mapped = mapAttributes(provider.attributeMapping, claims);
	for (const attribute of mapped) {
		answer[attribute.key] = attribute.error === undefined ? shown(attribute.value) : `error: ${attribute.error}`;
		if (attribute.error !== undefined) {
			add(
				'wif-attribute-mapping',
				90,
				`The mapping ${attribute.key}=${terminalSafe(attribute.expression)} fails on this token (${terminalSafe(attribute.error)}): ` +
					'map a claim the token has.',
				describe,
			);
		}
	}
	if (!mapped.some(attribute => attribute.key === 'google.subject')) {
		add('wif-attribute-mapping', 90, 'The provider maps no google.subject, which every mapping must.', describe);
	}
	const bytes = subjectBytes(mapped);
	if (bytes !== undefined) {
		answer['google.subject'] = `${answer['google.subject']} (${bytes} of ${maxSubjectBytes} bytes)`;
		if (bytes > maxSubjectBytes) {
			add(
				'wif-attribute-mapping',
				100,
				`google.subject is ${bytes} bytes, over IAM's ${maxSubjectBytes}-byte limit: map a shorter value (assertion.repository_id, ` +
					"or a part of the claim with .extract('…{x}…')).",
				describe,
			);
		}
	}
	if (provider.attributeCondition) {
		const condition = evaluateCondition(provider.attributeCondition, claims, mapped);
		if (condition.holds) answer.condition = 'holds';
		else {
			const saw = Object.entries(condition.saw ?? {})
				.map(([name, value]) => `${name} = ${shown(value)}`)
				.join(', ');
			answer.condition = `fails at ${condition.failingRule ?? provider.attributeCondition}`;
			add(
				'wif-attribute-condition',
				100,
				`The attribute condition fails at ${terminalSafe(condition.failingRule ?? provider.attributeCondition)}` +
					`${saw ? `: the token has ${saw}` : ''}${condition.error ? ` (${terminalSafe(condition.error)})` : ''}.`,
				providerCommand(names, 'update-oidc', '--attribute-condition=CONDITION'),
			);
		}
	}

	// Who may act as the service account.
	if (input.policy) {
		const attributes = attributeBindings(mapped);
		const verdict = judgePolicy(input.policy, poolResource(provider.parts), attributes, input.serviceAccount);
		if (verdict.granted) answer.policy = `${verdict.granted.member} has ${verdict.granted.role}`;
		else {
			answer.policy = 'no member matches the mapped attributes';
			const misses = verdict.nearMisses.length > 0 ? ` ${verdict.nearMisses.join(' ')}` : '';
			add(
				'wif-principal-binding',
				100,
				`No principal:// or principalSet:// member of ${input.serviceAccount ?? 'the service account'}'s policy with ` +
					`roles/iam.workloadIdentityUser matches this identity.${misses}`,
				verdict.fix,
			);
		}
	}
	return {answer, findings};
}

type ProviderNames = ReturnType<typeof parseProviderName>;

/** `gcloud iam workload-identity-pools providers VERB PROVIDER …` for the provider named, or null when none is. */
function providerCommand(names: ProviderNames, verb: 'describe' | 'update-oidc', ...flags: string[]): string | null {
	if (!names?.provider) return null;
	const where = [`--workload-identity-pool=${names.pool}`, `--location=${names.location}`];
	return command('gcloud', 'iam', 'workload-identity-pools', 'providers', verb, names.provider, ...where, ...flags);
}

function poolPath(names: NonNullable<ProviderNames>): string {
	return `projects/${names.project}/locations/${names.location}/workloadIdentityPools/${names.pool}/providers/${names.provider ?? ''}`;
}

function shown(value: unknown): string {
	if (value === undefined) return '(none)';
	return terminalSafe(typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 300);
}
