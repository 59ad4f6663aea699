import {TokscopeError} from '../core/errors.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {adcCredential} from './adc.js';
import type {ImpersonationTarget} from './library/clients.js';
import {iamCredentialsEndpoint} from './endpoints.js';
import {impersonating} from './iam.js';
import type {SourceBody, SourceOptions} from './types.js';

/** The gcloud-order list SA[,DELEGATE...]: the last entry is the target, the others are the delegation chain. */
function impersonationChain(list: string[], env: NodeJS.ProcessEnv): ImpersonationTarget {
	const target = list.at(-1);
	if (!target) throw new TokscopeError('usage', '--impersonate-service-account needs a service account email.');
	const notEmail = list.find(entry => !/^[^@\s/]+@[^@\s/]+$/.test(entry));
	if (notEmail !== undefined)
		throw new TokscopeError(
			'usage',
			`--impersonate-service-account takes service account emails, and "${terminalSafe(notEmail).slice(0, 80)}" is not one.`,
		);
	return {target, delegates: list.slice(0, -1), endpoint: iamCredentialsEndpoint(env)};
}

/** One line naming who acts as whom, in gcloud's order: the caller, the delegates, the target. */
function impersonationOrigin(target: ImpersonationTarget, caller: string | undefined, callerOrigin: string): string {
	const through = target.delegates.length ? ` through ${target.delegates.join(' → ')}` : '';
	return `IAM Credentials acting as ${target.target}${through}, called by ${caller ?? 'the ADC principal'} (${callerOrigin})`;
}

/** The impersonate source: IAM Credentials acting as --impersonate-service-account, called by whatever ADC finds. */
export async function impersonateSource(options: SourceOptions): Promise<SourceBody> {
	const env = options.env ?? process.env;
	const chain = impersonationChain(options.impersonate ?? [], env);
	const {credential: caller, found} = await adcCredential(options);
	const {principal} = await caller.describe();
	return impersonating(caller, chain, {...found, origin: impersonationOrigin(chain, principal, found.origin)});
}
