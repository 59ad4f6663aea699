import {TokscopeError} from '../core/errors.js';
import {credentialsFileType, findOnPath, notInTime, within} from './detect.js';
import type {SourceBody, SourceId, SourceOptions} from './types.js';

// What differs between sources, in one table: the picker, the inputs screen, the live session and print-* read it
// and never name a source id. Adding a source is one module plus one entry here.

/** An input the user gives before the first token (the TUI asks for them in this order; the CLI has a flag for each). */
export type SourceInput = 'keyFile' | 'impersonate' | 'clientSecret' | 'token' | 'audience' | 'scopes';

export interface SourceEntry {
	id: SourceId;
	/** The picker's line and the inputs screen's title. */
	label: string;
	/** What the user must give, in order. `audience` and `scopes` are optional and asked together on the last step. */
	inputs: readonly SourceInput[];
	/** What the file is, for sources that take one through `keyFile`. */
	fileLabel?: string;
	/** False for a token that was handed over: nothing to refresh, schedule or retry. */
	refreshes: boolean;
	/**
	 * Whether the source can mint an ID token for an audience the user chooses: `depends` when the answer comes from
	 * the credential it finds (a user credential cannot; `describe()` then says why).
	 */
	mintsIdTokens: boolean | 'depends';
	/** The access token's scopes are the caller's to choose (gcloud and a pasted token decide their own). */
	takesScopes: boolean;
	/** Its credential file may point away from Google: describe it (and show its warnings) before the first request. */
	describeFirst: boolean;
	/** The user signs in (a browser, a consent page) before the source can be built: the TUI shows the sign-in first. */
	signsIn?: boolean;
	/** The access token's lifetime is the caller's to choose (--lifetime, as gcloud allows only with impersonation). */
	choosesLifetime?: boolean;
	/**
	 * Builds the source: reads its files, probes its server. Its module is imported only now (a metadata grab never loads
	 * the key-file, federation or gcloud code); `createSource` calls it on first use and gives it this entry's id and label.
	 */
	create(options: SourceOptions): Promise<SourceBody>;
	/**
	 * The picker's line under the label: what is there right now. Bounded by its own deadline (detect.ts's `within`),
	 * and it imports only what it needs (never google-auth-library: the picker draws before that is read).
	 */
	detect(env: NodeJS.ProcessEnv): Promise<string>;
}

export const sourceCatalog: readonly SourceEntry[] = [
	{
		id: 'adc',
		label: 'Application Default Credentials',
		inputs: ['audience', 'scopes'],
		refreshes: true,
		mintsIdTokens: 'depends',
		takesScopes: true,
		describeFirst: true,
		create: async options => (await import('./adc.js')).adcSource(options),
		detect: async env => {
			const {resolveAdc, describeLink} = await import('./adc.js');
			const credentials = env.GOOGLE_APPLICATION_CREDENTIALS;
			const unusable = (error: unknown) => {
				if (!(error instanceof TokscopeError)) return 'could not be read';
				return credentials ? `$GOOGLE_APPLICATION_CREDENTIALS (${credentials}) cannot be used` : 'nothing found';
			};
			return within(resolveAdc(env).then(describeLink, unusable), notInTime);
		},
	},
	{
		id: 'metadata',
		label: 'Metadata server (GCE, GKE, Cloud Run)',
		inputs: ['audience', 'scopes'],
		refreshes: true,
		mintsIdTokens: true,
		takesScopes: true,
		describeFirst: false,
		create: async options => (await import('./metadata.js')).metadataSource(options),
		detect: async env => {
			const {probeMetadata} = await import('./metadata.js');
			const found = probeMetadata(env).then(probe => ('email' in probe ? `${probe.email} at ${probe.host}` : 'not reachable'));
			return `metadata server: ${await within(found, notInTime)}`;
		},
	},
	{
		id: 'key-file',
		label: 'Service-account key file',
		inputs: ['keyFile', 'audience', 'scopes'],
		fileLabel: 'Service-account key file',
		refreshes: true,
		mintsIdTokens: true,
		takesScopes: true,
		describeFirst: true,
		create: async options => (await import('./service-account.js')).keyFileSource(options),
		detect: async env =>
			(await credentialsFileType(env)) === 'service_account'
				? `key from $GOOGLE_APPLICATION_CREDENTIALS (${env.GOOGLE_APPLICATION_CREDENTIALS})`
				: 'give the path of a service-account JSON key',
	},
	{
		id: 'impersonate',
		label: 'Impersonate a service account',
		inputs: ['impersonate', 'audience', 'scopes'],
		refreshes: true,
		mintsIdTokens: true,
		takesScopes: true,
		describeFirst: true,
		choosesLifetime: true,
		create: async options => (await import('./impersonate.js')).impersonateSource(options),
		detect: async () => 'act as a service account through IAM Credentials, on top of ADC',
	},
	{
		id: 'gcloud',
		label: 'gcloud CLI account',
		inputs: ['audience'],
		refreshes: true,
		mintsIdTokens: 'depends',
		takesScopes: false,
		describeFirst: false,
		create: async options => (await import('./gcloud.js')).gcloudSource(options),
		detect: async env => {
			const gcloud = await within(findOnPath('gcloud', env), undefined);
			return gcloud ? `gcloud CLI at ${gcloud}` : 'gcloud CLI not installed';
		},
	},
	{
		id: 'external',
		label: 'Workload identity federation',
		inputs: ['keyFile', 'audience', 'scopes'],
		fileLabel: 'external_account JSON file',
		refreshes: true,
		mintsIdTokens: 'depends',
		takesScopes: true,
		describeFirst: true,
		create: async options => (await import('./external.js')).externalSource(options),
		detect: async env =>
			(await credentialsFileType(env)) === 'external_account'
				? `federation config from $GOOGLE_APPLICATION_CREDENTIALS (${env.GOOGLE_APPLICATION_CREDENTIALS})`
				: 'give the path of an external_account JSON file',
	},
	{
		id: 'login',
		label: 'Sign in with an OAuth client',
		inputs: ['clientSecret', 'scopes'],
		refreshes: true,
		// Only for its own client ID (the sign-in's ID token); describe() says why and what to use instead.
		mintsIdTokens: 'depends',
		takesScopes: true,
		describeFirst: false,
		signsIn: true,
		create: async options => (await import('./login.js')).loginSource(options),
		detect: async () => 'sign in as yourself in a browser, with an OAuth client file from the Cloud Console',
	},
	{
		id: 'paste',
		label: 'Paste a token',
		inputs: ['token'],
		refreshes: false,
		mintsIdTokens: false,
		takesScopes: false,
		describeFirst: false,
		create: async options => (await import('./paste.js')).pasteSource(options.token),
		detect: async () => 'paste any token to decode, verify and watch it',
	},
];

export function sourceEntry(id: SourceId): SourceEntry {
	const entry = sourceCatalog.find(candidate => candidate.id === id);
	if (!entry) throw new Error(`no catalog entry for source ${id}`);
	return entry;
}
