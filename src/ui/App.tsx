import {useApp} from 'ink';
import {useCallback, useReducer} from 'react';
import type {Verification} from '../core/types.js';
import {sourceEntry} from '../sources/catalog.js';
import type {SourceId, SourceOptions, TokenSource} from '../sources/types.js';
import {Inputs, type InputValues} from './screens/Inputs.js';
import {LiveView, type Copier} from './screens/LiveView.js';
import {SourcePicker} from './screens/SourcePicker.js';
import {TokenSession} from './session/driver.js';
import type {SessionRequest} from './session/state.js';
import {useTokenSession} from './session/use-session.js';

export type Screen = {name: 'sources'} | {name: 'inputs'; source: SourceId} | {name: 'live'; options: SourceOptions; request: SessionRequest};

export type ScreenAction = {type: 'pick'; source: SourceId} | {type: 'start'; options: SourceOptions; request: SessionRequest} | {type: 'sources'};

export function screenReducer(_screen: Screen, action: ScreenAction): Screen {
	switch (action.type) {
		case 'pick':
			return {name: 'inputs', source: action.source};
		case 'start':
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
							options: {source: screen.source, keyFile: values.keyFile, impersonate: values.impersonate, token: values.token},
							request: {audience: values.audience, scopes: values.scopes},
						})
					}
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
