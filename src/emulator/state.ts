import type {Authority} from './authority.js';
import type {Authorizations} from './authorize.js';
import type {Clock} from './clock.js';
import type {Federation} from './federation.js';
import type {Endpoints} from './names.js';

/** Who the emulated project, VM and user are; shared by every route. */
export interface EmulatorState {
	/** Where each endpoint is reached: one loopback origin, or Google's own names in real-names mode. */
	endpoints: Endpoints;
	authority: Authority;
	/** The emulator's clock (the authority's), skewable for the demo. */
	clock: Clock;
	/** Sign-in requests awaiting consent and the codes handed out. */
	authorizations: Authorizations;
	projectId: string;
	projectNumber: string;
	zone: string;
	serviceAccountEmail: string;
	userEmail: string;
	defaultScopes: string[];
	/** The longest access token IAM Credentials mints: 3600 s, or up to 43200 s where the organisation policy allows it. */
	maxAccessTokenLifetimeSeconds: number;
	/** Workload identity federation's provider and policies, once one is set (its CEL evaluator loads only then). */
	federation?: Federation;
	/** Accounts IAM signed a JWT for (signJwt): the token endpoint takes their assertions. */
	signedFor: Set<string>;
	/** Domain-wide delegation as a Workspace admin authorised it: client ID → the scopes it may ask for a user. */
	delegation: Map<string, string[]>;
}
