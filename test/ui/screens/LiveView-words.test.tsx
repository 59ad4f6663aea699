import {afterEach, beforeEach, describe, expect, it, onTestFinished, vi} from 'vitest';
import type {RawToken} from '../../../src/core/types.js';
import type {SourceInfo, TokenSource} from '../../../src/sources/types.js';
import {LiveView} from '../../../src/ui/screens/LiveView.js';
import {TokenSession} from '../../../src/session/driver.js';
import {advance, render, settle} from '../../support/ink.js';

// Words on the live view at 80×24: whole, in the tense they mean, each number said once.

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function source(options: {warnings?: string[]; fails?: boolean}): TokenSource {
	const info: SourceInfo = {
		id: 'adc',
		principal: 'someone@example.com',
		origin: 'test',
		details: [],
		warnings: options.warnings ?? [],
		idTokens: true,
	};
	return {
		id: 'adc',
		label: 'Application Default Credentials',
		describe: async () => info,
		idToken: async ({audience}): Promise<RawToken> => {
			if (options.fails) throw new Error('The metadata server could not be reached (connection refused).');
			const now = Math.floor(Date.now() / 1000);
			const claims = {iss: 'https://accounts.google.com', aud: audience, azp: '1', sub: '1', iat: now, exp: now + 3600};
			return {token: `${encode({alg: 'RS256'})}.${encode(claims)}.c2ln`, type: 'id', audience, fetchedAt: new Date(), latencyMs: 3};
		},
		accessToken: async () => {
			throw new Error('not in this test');
		},
	};
}

async function liveAt80(from: TokenSource) {
	const session = new TokenSession(from, {audience: 'https://svc.run.app'}, {now: () => new Date()});
	onTestFinished(() => session.dispose());
	const view = await render(
		<LiveView session={session} now={() => new Date()} copy={async () => 'Copied.'} onSources={() => {}} onQuit={() => {}} />,
		{columns: 80, rows: 24},
	);
	await settle(() => session.start());
	return view;
}

const oneLine = (text: string) => text.replaceAll(/\s+/g, ' ');

beforeEach(() => {
	vi.useFakeTimers({now: new Date('2026-11-22T12:00:00Z'), toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'Date']});
});
afterEach(() => {
	vi.useRealTimers();
});

describe('the live view’s words at 80×24', () => {
	it('shows a long warning whole, wrapped in words under its ⚠, never cut at the edge', async () => {
		const warning =
			'token_uri in /home/someone/.config/gcloud/application_default_credentials.json points to oauth.attacker.example, ' +
			'which is not Google: the credential will be sent there.';
		const {frame} = await liveAt80(source({warnings: [warning]}));
		expect(oneLine(frame())).toContain(`⚠ ${warning}`);
		for (const line of frame().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
	});

	it('says when a failed fetch is tried again once, as a countdown, in the future tense', async () => {
		const {frame} = await liveAt80(source({fails: true}));
		expect(frame()).toContain('✗ no ID token — retrying in 2s');
		expect(oneLine(frame())).toContain('This can pass by itself: it will be tried again (counted down above), backing off.');
		expect(frame()).not.toMatch(/tried again in/);
		// One number on screen for it (the event log names the clock time, not a second wait).
		expect(frame().match(/\b\d+ ?s\b/g)).toEqual(['2s']);
		await advance(1000);
		expect(frame().match(/\b\d+ ?s\b/g)).toEqual(['1s']);
	});
});
