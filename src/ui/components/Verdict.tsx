import {Text} from 'ink';
import {issuerTrustWords} from '../../core/google.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {formatDuration} from '../../core/times.js';
import type {Verification} from '../../core/types.js';
import {useNow, type Ticker} from '../ticker.js';
import {colour, dim} from '../theme.js';

interface VerdictProps {
	verification: Verification;
	expiresAt: Date | null;
	ticker: Ticker;
}

/**
 * The verdict, checked again on every tick: a token past its exp is `✗ expired` whatever its signature said (a
 * verifier rejects it just the same), so a token kept on screen after a failed refresh never reads `✓ valid`.
 */
export function Verdict({verification, expiresAt, ticker}: VerdictProps) {
	const now = useNow(ticker);
	if (expiresAt && expiresAt.getTime() <= now.getTime()) {
		return (
			<Text wrap="truncate-end">
				<Text color={colour('invalid')} bold>
					✗ expired
				</Text>
				<Text> {formatDuration(now.getTime() - expiresAt.getTime())} ago: every verifier rejects it now</Text>
				{verification.status === 'valid' && <Text dimColor={dim}> (its signature is good)</Text>}
			</Text>
		);
	}
	const verdict = {valid: '✓ valid', invalid: '✗ invalid', unverified: '? unverified'}[verification.status];
	return (
		<Text wrap="truncate-end">
			<Text color={colour(verification.status)}>{verdict}</Text>
			<Text> {terminalSafe(verification.reason)}</Text>
			{verification.issuer && (
				<Text dimColor={dim}>
					{' '}
					issuer {terminalSafe(verification.issuer)}
					{verification.google ? '' : ` (${issuerTrustWords[verification.testIssuer ? 'test' : 'other']})`}
				</Text>
			)}
		</Text>
	);
}
