import {useApp} from 'ink';
import {useCallback, useEffect, useMemo, useReducer, useState} from 'react';
import type {Verification} from '../core/types.js';
import {sourceCatalog, sourceEntry} from '../sources/catalog.js';
import type {SignInFlow} from '../sources/login-flow.js';
import type {SourceId, SourceOptions, TokenSource} from '../sources/types.js';
import {Inputs, type InputValues} from './screens/Inputs.js';
import {LiveView} from './screens/LiveView.js';
import type {Copier} from './screens/use-live-view.js';
import {SignIn} from './screens/SignIn.js';
import {SourcePicker} from './screens/SourcePicker.js';
import type {LiveServices} from './services.js';
import {TokenSession} from '../session/driver.js';
import type {SessionRequest} from '../session/state.js';
import {useTokenSession} from './use-session.js';

/**
 * A line of the picker: a source, or (in the demo) a source with a credential of its own: the user credential, the
 * impersonated file, the federation config, each with the right file prefilled.
 */
export interface PickerChoice {
	id: SourceId;
	label: string;
	/** Said under the line instead of what detection found for the source. */
	note?: string;
	/** Values the inputs screen starts with, over the app's defaults. */
	defaults?: InputValues;
	/** Environment over the app's, for the source (e.g. GOOGLE_APPLICATION_CREDENTIALS naming the user credential). */
	env?: Record<string, string>;
}

export type Screen =
	| {name: 'sources'; pendingKeys?: string}
	| {name: 'inputs'; choice: PickerChoice}
	| {name: 'signin'; options: SourceOptions; request: SessionRequest}
	| {name: 'live'; options: SourceOptions; request: SessionRequest};

export type ScreenAction =
	| {type: 'pick'; choice: PickerChoice}
	| {type: 'start'; options: SourceOptions; request: SessionRequest}
	/** The live session again, its ID token minted for another audience (the one try it's probe found). */
	| {type: 'audience'; audience: string}
	| {type: 'sources'; pendingKeys?: string};

export function screenReducer(screen: Screen, action: ScreenAction): Screen {
	switch (action.type) {
		case 'audience':
			return screen.name === 'live' ? {...screen, request: {...screen.request, audience: action.audience}} : screen;
		case 'pick':
			return {name: 'inputs', choice: action.choice};
		case 'start':
			// A source the user signs in to (catalog: signsIn) gets the sign-in screen first; it starts again once signed in.
			if (sourceEntry(action.options.source).signsIn && !action.options.signedIn)
				return {name: 'signin', options: action.options, request: action.request};
			return {name: 'live', options: action.options, request: action.request};
		case 'sources':
			return {name: 'sources', pendingKeys: action.pendingKeys};
	}
}

/** Effects come in as props, so tests hand in their own and need no module mocks. */
export interface AppServices {
	createSource: (options: SourceOptions) => TokenSource;
	detectSources: () => Promise<Partial<Record<SourceId, string>>>;
	verify: (token: string) => Promise<Verification>;
	copy: Copier;
	/** Starts a sign-in for a source that needs one (catalog: signsIn). */
	signIn?: (options: SourceOptions, scopes?: string[]) => Promise<SignInFlow>;
	now: () => Date;
	defaults: InputValues;
	/** The picker's lines: every source in the catalog unless given. */
	choices?: readonly PickerChoice[];
	banner?: string;
	/** The wire, tokeninfo and the demo's break-it menu, for the live view. */
	live?: LiveServices;
	/**
	 * What is known only once something has started after the first frame (the demo's emulator: its URLs for the
	 * defaults and the live view). The picker is drawn at once; a line picked before this settles opens once it has.
	 */
	later?: Promise<Pick<AppServices, 'defaults' | 'live'>>;
}

export function choicesOf(services: Pick<AppServices, 'choices'>): readonly PickerChoice[] {
	return services.choices ?? sourceCatalog;
}

export function App({services: given, initial}: {services: AppServices; initial: Screen}) {
	const [screen, dispatch] = useReducer(screenReducer, initial);
	const {exit} = useApp();
	const services = useLaterServices(given);
	const choices = choicesOf(services);
	const [held, setHeld] = useState<PickerChoice>();
	// A pick held until the emulator's URLs arrived goes through on the render they arrive in.
	if (held && !services.later) {
		setHeld(undefined);
		dispatch({type: 'pick', choice: held});
	}

	switch (screen.name) {
		case 'sources':
			return (
				<SourcePicker
					choices={choices}
					detect={services.detectSources}
					onPick={(_id, index) => (services.later ? setHeld(choices[index]) : dispatch({type: 'pick', choice: choices[index]!}))}
					onQuit={exit}
					banner={services.banner}
					pendingKeys={screen.pendingKeys}
				/>
			);
		case 'inputs': {
			const {choice} = screen;
			return (
				<Inputs
					source={choice.id}
					label={choice.label === sourceEntry(choice.id).label ? choice.label : `${sourceEntry(choice.id).label}: ${choice.label}`}
					defaults={{...services.defaults, ...choice.defaults}}
					onBack={() => dispatch({type: 'sources'})}
					onDone={values =>
						dispatch({
							type: 'start',
							options: {
								source: choice.id,
								keyFile: values.keyFile,
								impersonate: values.impersonate,
								token: values.token,
								clientSecret: values.clientSecret,
								env: choice.env,
							},
							request: {audience: values.audience, scopes: values.scopes},
						})
					}
				/>
			);
		}
		case 'signin': {
			const {options, request} = screen;
			return (
				<SignIn
					label={sourceEntry(options.source).label}
					start={() =>
						services.signIn ? services.signIn(options, request.scopes) : Promise.reject(new Error('Signing in is not available here.'))
					}
					now={services.now}
					copy={services.copy}
					onBack={() => dispatch({type: 'sources'})}
					// The user's ID token is for the client they signed in with: that is the audience to show.
					onSignedIn={user =>
						dispatch({
							type: 'start',
							options: {...options, signedIn: user},
							request: {...request, audience: request.audience ?? user.client.clientId},
						})
					}
				/>
			);
		}
		case 'live':
			return (
				<LiveSession
					services={services}
					options={screen.options}
					request={screen.request}
					onSources={pendingKeys => dispatch({type: 'sources', pendingKeys})}
					onAudience={audience => dispatch({type: 'audience', audience})}
					onQuit={exit}
				/>
			);
	}
}

/** The services with `later`'s part merged in once it settles (and `later` gone then); a failure leaves them as they were. */
function useLaterServices(given: AppServices): AppServices {
	const [arrived, setArrived] = useState<Partial<AppServices>>();
	useEffect(() => {
		let mounted = true;
		const settle = (part: Partial<AppServices>) => mounted && setArrived(part);
		given.later?.then(settle, () => settle({}));
		return () => {
			mounted = false;
		};
	}, [given.later]);
	// One object per arrival: the live session is made again whenever its services change.
	return useMemo(() => (given.later && arrived ? {...given, ...arrived, later: undefined} : given), [given, arrived]);
}

interface LiveSessionProps {
	services: AppServices;
	options: SourceOptions;
	request: SessionRequest;
	onSources: (pendingKeys?: string) => void;
	onAudience: (audience: string) => void;
	onQuit: () => void;
}

function LiveSession({services, options, request, onSources, onAudience, onQuit}: LiveSessionProps) {
	const create = useCallback(
		() => new TokenSession(services.createSource(options), request, {now: services.now}, services.verify),
		[services, options, request],
	);
	const session = useTokenSession(create);
	return (
		<LiveView
			session={session}
			now={services.now}
			copy={services.copy}
			onSources={onSources}
			onAudience={onAudience}
			onQuit={onQuit}
			services={services.live}
			signIn={options.signedIn?.steps}
		/>
	);
}
