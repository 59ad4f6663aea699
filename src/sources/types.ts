import type {RawToken} from '../core/types.js';
import type {SignedIn} from './signed-in.js';

export const sourceIds = ['adc', 'metadata', 'key-file', 'impersonate', 'gcloud', 'external', 'login', 'paste'] as const;
export type SourceId = (typeof sourceIds)[number];

/** The metadata server's ID token formats: `full` adds the instance's details (and licences when asked). */
export const idTokenFormats = ['standard', 'full'] as const;
export type IdTokenFormat = (typeof idTokenFormats)[number];

/** Who the source acts as, where its credential came from, and why that one. */
export interface SourceInfo {
	id: SourceId;
	/** e.g. "sa@project.iam.gserviceaccount.com" or "alice@example.com"; undefined when unknown. */
	principal?: string;
	/** When impersonating: who asks IAM Credentials for the principal's tokens (the identity that needs the role). */
	caller?: string;
	/** One line: where the credential came from, e.g. "service-account key from $GOOGLE_APPLICATION_CREDENTIALS (/path/key.json)". */
	origin: string;
	/** Further plain sentences, e.g. why earlier ADC links were skipped. */
	details: string[];
	/** Things the user should know before trusting this (self-impersonation, non-Google token_uri, ...). */
	warnings: string[];
	/** Credential file type when one was used (`service_account`, `authorized_user`, ...). */
	credentialType?: string;
	projectId?: string;
	/** True, or the sentence explaining why this source cannot mint an ID token for any audience. */
	idTokens: true | string;
}

export interface AccessTokenRequest {
	scopes?: string[];
	/** Seconds the token should live; only sources whose catalog entry says `lifetime` honour it (IAM: 3600, or 43200 by policy). */
	lifetimeSeconds?: number;
	/**
	 * Domain-wide delegation: act as this Workspace user (the assertion's `sub`). Only a service account can: by its key,
	 * or through impersonation (IAM signJwt, then the exchange); any other source refuses (SourceBody.delegates).
	 */
	subject?: string;
}

export interface IdTokenRequest {
	audience: string;
	/**
	 * With an empty audience: mint for the audience the source uses by default, as `gcloud auth print-identity-token`
	 * without --audiences does (its own OAuth client for a user credential, gcloud's client ID otherwise), instead of refusing.
	 */
	useDefaultAudience?: boolean;
	includeEmail?: boolean;
	format?: IdTokenFormat;
	includeLicenses?: boolean;
}

export interface TokenSource {
	readonly id: SourceId;
	readonly label: string;
	describe(): Promise<SourceInfo>;
	accessToken(request?: AccessTokenRequest): Promise<RawToken>;
	idToken(request: IdTokenRequest): Promise<RawToken>;
}

/** What a source's module builds; its catalog entry gives it the id and label (`createSource` joins the two). */
export type SourceBody = Omit<TokenSource, 'id' | 'label'> & {
	/** It acts as a Workspace user when asked (AccessTokenRequest.subject): a service account's key or impersonation. */
	readonly delegates?: boolean;
};

/** What the command line (or the TUI's input screen) gives to build a source. */
export interface SourceOptions {
	source: SourceId;
	keyFile?: string;
	/** gcloud order: delegates first, the last entry is the target service account. */
	impersonate?: string[];
	/** For `login`: the OAuth client file to sign in with. */
	clientSecret?: string;
	/** For `login`: the user signed in through that client (the sign-in runs before the source is built). */
	signedIn?: SignedIn;
	/**
	 * For a federation config: read the subject token from this file instead of its credential_source (doctor's
	 * --subject-token-file: a CI system's OIDC token saved to try the exchange with).
	 */
	subjectTokenFile?: string;
	/** For `paste`: the token itself. */
	token?: string;
	/** Environment to honour; defaults to process.env. Sources only read it. */
	env?: NodeJS.ProcessEnv;
	/** Deadline for every network call, ms. */
	timeoutMs?: number;
}
