import {Text} from 'ink';
import type {SessionState} from '../../session/state.js';
import {colour, dim} from '../theme.js';

/** The two tokens as tabs, the active one bracketed, and what kind of token is shown; a pasted token has one. */
export function Tabs({state, kind}: {state: SessionState; kind: string | undefined}) {
	if (!state.refreshes) {
		return (
			<Text wrap="truncate-end">
				<Text bold color={colour('accent')}>
					[{state.active === 'id' ? 'ID token' : 'access token'}]
				</Text>
				<Text dimColor={dim}> pasted: shown as it is, never refreshed · </Text>
				{kind && <Text>{kind}</Text>}
			</Text>
		);
	}
	return (
		<Text wrap="truncate-end">
			<Text bold color={colour('accent')}>
				{state.active === 'id' ? '[ID token]' : ' ID token '}
			</Text>
			<Text bold color={colour('accent')}>
				{state.active === 'access' ? '[access token]' : ' access token '}
			</Text>
			<Text dimColor={dim}> tab switches · </Text>
			{kind && <Text>{kind}</Text>}
		</Text>
	);
}
