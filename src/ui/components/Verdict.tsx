import {Text} from 'ink';
import stringWidth from 'string-width';
import {issuerTrustWords} from '../../core/google.js';
import {terminalSafe} from '../../core/terminal-safe.js';
import {formatDuration} from '../../core/times.js';
import type {Verification} from '../../core/types.js';
import {fitWords} from '../layout.js';
import {useNow, type Ticker} from '../ticker.js';
import {colour, dim} from '../theme.js';

interface VerdictProps {
	verification: Verification;
	expiresAt: Date | null;
	ticker: Ticker;
	columns: number;
}

const marks = {valid: '✓ valid', invalid: '✗ invalid', unverified: '? unverified'} as const;

/**
 * The verdict's words for a line of `columns`: the whole reason and the issuer when they fit (the issuer only when the
 * reason does not already name it); else the reason alone; else without the key id; else, for a good signature, the
 * short form (whose keys, and the issuer when it is not Google); else cut after a whole word. Details (d) always hold
 * the whole reason.
 */
export function verdictWords(verification: Verification, columns: number): {reason: string; issuer?: string} {
	const room = columns - stringWidth(marks[verification.status]) - 1;
	const reason = terminalSafe(verification.reason);
	const issuer = verification.issuer ? terminalSafe(verification.issuer) : undefined;
	const trust = verification.google ? '' : ` (${issuerTrustWords[verification.testIssuer ? 'test' : 'other']})`;
	const named = issuer && !reason.includes(issuer) ? ` issuer ${issuer}${trust}` : undefined;
	const fits = (text: string) => stringWidth(text) <= room;
	if (fits(reason + (named ?? ''))) return {reason, issuer: named};
	if (fits(reason)) return {reason};
	const withoutKey = reason.replace(/ \(key [^)]*\)/, '');
	if (fits(withoutKey)) return {reason: withoutKey};
	if (verification.status === 'valid' && verification.code === 'verified') {
		const short = verification.google ? 'signed with Google’s keys' : `signed with the issuer’s keys, not Google’s: ${issuer ?? '?'}`;
		return {reason: fitWords(short, room)};
	}
	return {reason: fitWords(withoutKey, room)};
}

/**
 * The verdict, checked again on every tick: a token past its exp is `✗ expired` whatever its signature said (a
 * verifier rejects it just the same), so a token kept on screen after a failed refresh never reads `✓ valid`.
 */
export function Verdict({verification, expiresAt, ticker, columns}: VerdictProps) {
	const now = useNow(ticker);
	if (expiresAt && expiresAt.getTime() <= now.getTime()) {
		const good = verification.status === 'valid' ? ' (its signature is good)' : '';
		const said = fitWords(`${formatDuration(now.getTime() - expiresAt.getTime())} ago: every verifier rejects it now${good}`, columns - 10);
		return (
			<Text wrap="truncate-end">
				<Text color={colour('invalid')} bold>
					✗ expired
				</Text>
				<Text> {said}</Text>
			</Text>
		);
	}
	const {reason, issuer} = verdictWords(verification, columns);
	return (
		<Text wrap="truncate-end">
			<Text color={colour(verification.status)}>{marks[verification.status]}</Text>
			<Text> {reason}</Text>
			{issuer && <Text dimColor={dim}>{issuer}</Text>}
		</Text>
	);
}
