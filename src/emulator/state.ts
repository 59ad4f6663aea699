import type {Authority} from './authority.js';

/** Who the emulated project, VM and user are; shared by every route. */
export interface EmulatorState {
	url: string;
	authority: Authority;
	projectId: string;
	projectNumber: string;
	zone: string;
	serviceAccountEmail: string;
	userEmail: string;
	defaultScopes: string[];
}
