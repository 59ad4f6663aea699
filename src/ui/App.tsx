import {useApp} from 'ink';
import {useCallback, useReducer} from 'react';
import type {Verification} from '../core/types.js';
import {sourceEntry} from '../sources/catalog.js';
import type {SignInFlow} from '../sources/login-flow.js';
import type {SourceId, SourceOptions, TokenSource} from '../sources/types.js';
import {Inputs, type InputValues} from './screens/Inputs.js';
import {LiveView, type Copier} from './screens/LiveView.js';
import {SignIn} from './screens/SignIn.js';
import {SourcePicker} from './screens/SourcePicker.js';
import {TokenSession} from './session/driver.js';
import type {SessionRequest} from './session/state.js';
import {useTokenSession} from './session/use-session.js';

export type Screen =
	| {name: 'sources'}
	| {name: 'inputs'; source: SourceId}
	| {name: 'signin'; options: SourceOptions; request: SessionRequest}
	| {name: 'live'; options: SourceOptions; request: SessionRequest};

export type ScreenAction = {type: 'pick'; source: SourceId} | {type: 'start'; options: SourceOptions; request: SessionRequest} | {type: 'sources'};

export function screenReducer(_screen: Screen, action: ScreenAction): Screen {
	switch (action.type) {
		case 'pick':
			return {name: 'inputs', source: action.source};
		case 'start':
			// A source the user signs in to (catalog: signsIn) gets the sign-in screen first; it starts again once signed in.
			if (sourceEntry(action.options.source).signsIn && !action.options.signedIn) return {name: 'signin', options: action.options, request: action.request};
			return {name: 'live', options: action.options, request: action.request};
		case 'sources':
			return {name: 'sources'};
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
	banner?: string;
}

export function App({services, initial}: {services: AppServices; initial: Screen}) {
	const [screen, dispatch] = useReducer(screenReducer, initial);
	const {exit} = useApp();

	switch (screen.name) {
		case 'sources':
			return (
				<SourcePicker
					detect={services.detectSources}
					onPick={source => dispatch({type: 'pick', source})}
					onQuit={exit}
					banner={services.banner}
				/>
			);
		case 'inputs': {
			return (
				<Inputs
					source={screen.source}
					label={sourceEntry(screen.source).label}
					defaults={services.defaults}
					onBack={() => dispatch({type: 'sources'})}
					onDone={values =>
						dispatch({
							type: 'start',
							options: {source: screen.source, keyFile: values.keyFile, impersonate: values.impersonate, token: values.token, clientSecret: values.clientSecret},
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
					start={() => (services.signIn ? services.signIn(options, request.scopes) : Promise.reject(new Error('Signing in is not available here.')))}
					now={services.now}
					copy={services.copy}
					onBack={() => dispatch({type: 'sources'})}
					// The user's ID token is for the client they signed in with: that is the audience to show.
					onSignedIn={user => dispatch({type: 'start', options: {...options, signedIn: user}, request: {...request, audience: request.audience ?? user.client.clientId}})}
				/>
			);
		}
		case 'live':
			return <LiveSession services={services} options={screen.options} request={screen.request} onSources={() => dispatch({type: 'sources'})} onQuit={exit} />;
	}
}

function LiveSession({services, options, request, onSources, onQuit}: {services: AppServices; options: SourceOptions; request: SessionRequest; onSources: () => void; onQuit: () => void}) {
	const create = useCallback(
		() => new TokenSession(services.createSource(options), request, {now: services.now}, services.verify),
		[services, options, request],
	);
	const session = useTokenSession(create);
	return <LiveView session={session} now={services.now} copy={services.copy} onSources={onSources} onQuit={onQuit} />;
}
