import type {TokenInfo} from '../verify/tokeninfo.js';
import type {DoctorReport} from '../doctor/report.js';
import type {TokenSource} from '../sources/types.js';
import type {CompareTargets} from './panels/compare.js';

// What the live view is given besides the session (built in src/app, handed down as props): every one optional, so
// a test passes only what it looks at, and the view says plainly when one is absent.

/** One HTTP exchange as the wire pane shows it; bodies and headers already redacted and made terminal-safe. */
export interface WireExchange {
	id: number;
	startedAt: Date;
	method: string;
	url: string;
	status?: number;
	latencyMs?: number;
	requestHeaders: string[];
	requestBody?: string;
	responseBody?: string;
	error?: string;
}

export interface Wire {
	/** The exchanges that started within [from, to], oldest first. */
	between(from: Date, to: Date): WireExchange[];
}

/** The demo's break-it menu: each entry breaks the emulator until `heal`. */
export interface DemoControls {
	/** Each breakage: what it breaks, and which sources it reaches. */
	menu: ReadonlyArray<{label: string; explains: string; affects?: string; apply(): void}>;
	/** The emulator's stand-in services, to try with `x` (the audience each accepts, or the token it wants). */
	services?: ReadonlyArray<{label: string; url: string; wants: string}>;
	/** Where the comparison sends both tokens: the Cloud Run stand-in and the Google API stand-in. */
	compareTargets?: CompareTargets;
	heal(): void;
	/** What is broken now, one label each. */
	broken(): string[];
}

/** One "try it" call: doctor's diagnosis with the user's own token (the source mints --probe's tokens). */
export interface TryItRequest {
	url: string;
	token: string;
	source?: TokenSource;
	audience?: string;
	probe?: boolean;
}

export interface LiveServices {
	wire?: Wire;
	/** Calls a service with a token and reads its answer as `tokscope doctor` does (src/doctor/diagnose.ts). */
	tryIt?: (request: TryItRequest) => Promise<DoctorReport>;
	tokenInfo?: (token: string) => Promise<TokenInfo>;
	/** Where `u` sends an access token: Google's tokeninfo, or the emulator's in the demo. */
	tokenInfoUrl?: string;
	/**
	 * Where the comparison (i, then x) sends both tokens: a Google API, and a service wanting an ID token (unset: the ID
	 * token's audience when that is a URL).
	 */
	compareTargets?: CompareTargets;
	demo?: DemoControls;
}
