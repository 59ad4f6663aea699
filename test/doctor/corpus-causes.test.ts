import {describe, expect, it} from 'vitest';
import {isGoogleIssuer} from '../../src/core/google.js';
import {readAnswer, type ReadAnswer} from '../../src/core/answer.js';
import {rankCauses, type SentToken} from '../../src/doctor/causes.js';
import type {Cause} from '../../src/core/cause.js';
import {readEvidence} from '../../src/doctor/evidence.js';
import {mintingCauses, type MintContext} from '../../src/core/mint-causes.js';
import {classifyTarget} from '../../src/doctor/target.js';
import {
	bodyAsSent,
	expectedMisses,
	fixtureUrl,
	loadCorpus,
	serviceProducts,
	type CorpusEntry,
	type RealAnswer,
} from '../support/real-world-corpus.js';

// Each real answer replayed through doctor's ranking (pure: no network): the cause the thread settled on must come
// first, and its fix must name what the answer named. Where doctor cannot tell from one call, the reason is written here.

const now = new Date('2026-11-22T18:00:00Z');
const corpus = loadCorpus();

/** The token a fixture's request sent, as doctor's causes see it. */
function sentToken({request}: RealAnswer): SentToken {
	const {token} = request;
	const email = token.principal && /^[\w.+-]+@[\w.-]+$/.test(token.principal) ? token.principal : undefined;
	const base = {
		issuedAt: new Date(now.getTime() - 60_000),
		expiresAt: new Date(now.getTime() + 3_540_000),
		minted: false,
		principal: email,
	};
	switch (token.kind) {
		case 'access-token':
		case 'api-key':
			return {...base, kind: 'google-access-token', audiences: [], hasEmail: false, trustedIssuer: false};
		case 'self-signed-jwt': {
			const audiences = token.audience ? [token.audience] : [];
			return {...base, kind: 'self-signed-jwt', audiences, issuer: email, hasEmail: false, trustedIssuer: false};
		}
		default: {
			// An ID token (or, for a fixture sent without any, the one doctor would mint for the URL).
			const url = fixtureUrl(request.url);
			const audience = token.audience ?? url.origin + (url.hostname.endsWith('.cloudfunctions.net') ? url.pathname : '');
			const issuer = token.issuer ?? 'https://accounts.google.com';
			return {
				...base,
				kind: issuer.includes('accounts.google.com') ? 'google-id-token' : 'jwt',
				trustedIssuer: isGoogleIssuer(issuer),
				audiences: [audience],
				issuer,
				hasEmail: true,
			};
		}
	}
}

/** The answer as the client read it. */
function answerOf(answer: RealAnswer): ReadAnswer {
	return readAnswer({status: answer.response.status, headers: answer.response.headers ?? {}, body: bodyAsSent(answer)});
}

function serviceCauses({answer}: CorpusEntry): Cause[] {
	const vm = /VM|metadata server/.test(answer.request.token.principal ?? '');
	const url = fixtureUrl(answer.request.url);
	const response = {status: answer.response.status, headers: answer.response.headers ?? {}, body: answer.response.body};
	const facts = {target: classifyTarget(url), evidence: readEvidence(response), token: sentToken(answer), receivedAt: now};
	// A 400 lets the token through (doctor reports the call accepted); what it says is read all the same.
	return rankCauses({...facts, answer: answerOf(answer), ...(vm ? {sourceId: 'metadata'} : {})});
}

function mintContext({name, answer}: CorpusEntry): MintContext {
	const via = ({'token-endpoint': 'oauth', 'iam-credentials': 'iam', sts: 'sts', metadata: 'metadata'} as const)[
		answer.product as 'token-endpoint' | 'iam-credentials' | 'sts' | 'metadata'
	];
	const {token} = answer.request;
	const federated = token.kind === 'external-oidc' || /federated/i.test(token.principal ?? '');
	const credential = token.kind === 'refresh-token' ? 'user' : federated ? 'external' : 'service-account';
	const scopes = /"scope": \[([^\]]*)\]/.exec(answer.request.body ?? '')?.[1];
	return {
		via,
		credential,
		...(scopes !== undefined ? {scopes: [...scopes.matchAll(/"([^"]+)"/g)].map(match => match[1]!)} : {}),
		...(/no scope/.test(answer.request.body ?? '') ? {scopes: []} : {}),
		...(/lifetime 3600s/.test(answer.request.body ?? '') ? {lifetimeSeconds: 3600} : {}),
		// A bare "Not Found" says nothing by itself: knowing the process runs in a GKE pod does (KUBERNETES_SERVICE_HOST).
		...(name.includes('gke') ? {onGke: true} : {}),
	};
}

const causesOf = (entry: CorpusEntry) =>
	serviceProducts.has(entry.answer.product) ? serviceCauses(entry) : mintingCauses(answerOf(entry.answer), mintContext(entry));

describe('the real-world corpus through doctor’s causes', () => {
	it.each(corpus)('$name: the thread’s cause first, its fix specific', entry => {
		const causes = causesOf(entry);
		const codes = causes.map(cause => cause.code);
		if (expectedMisses[entry.name]) {
			expect(codes, expectedMisses[entry.name]).toContain(entry.answer.causeCode);
			return;
		}
		expect(codes[0], `ranked: ${codes.join(', ')}`).toBe(entry.answer.causeCode);
		// What the answer named is in the sentence or the fix, never replaced by a placeholder.
		const said = `${causes[0]!.sentence} ${causes[0]!.fix ?? ''}`;
		const {named} = answerOf(entry.answer);
		for (const value of [named.permission, named.service, named.expectedAudience, named.member, named.issuer]) {
			if (value !== undefined) expect(said).toContain(value);
		}
		if (named.project && !['quota-project'].includes(entry.answer.causeCode)) expect(said).toContain(named.project);
	});

	it('the thread’s cause is first for all but the answers written down as beyond one call', () => {
		const first = corpus.filter(entry => causesOf(entry)[0]?.code === entry.answer.causeCode).length;
		expect(first).toBe(corpus.length - Object.keys(expectedMisses).length);
	});
});

describe('fixes that name what the answer named', () => {
	const entry = (name: string) => corpus.find(item => item.name === name)!;
	const first = (name: string) => causesOf(entry(name))[0]!;

	it('IAP with an access token: mint for IAP’s OAuth client ID, with the email, never for the URL', () => {
		const cause = first('iap/access-token-error-code-13');
		expect(cause.code).toBe('wrong-token-kind');
		expect(cause.fix).toContain('--audiences=IAP_CLIENT_ID');
		expect(cause.fix).toContain('--include-email');
		expect(cause.fix).not.toContain('appspot.com');
	});

	it('a permission the answer names becomes the role that grants it, on the resource it names', () => {
		expect(first('google-api/secret-manager-permission-denied').fix).toBe(
			'gcloud secrets add-iam-policy-binding SlackSigningSecret --project=XXX --member=serviceAccount:SA_EMAIL ' +
				'--role=roles/secretmanager.secretAccessor',
		);
		expect(first('google-api/run-deploy-act-as-denied').fix).toBe(
			'gcloud iam service-accounts add-iam-policy-binding saffafsafa-compute@developer.gserviceaccount.com ' +
				'--member=serviceAccount:SA_EMAIL --role=roles/iam.serviceAccountUser',
		);
	});

	it('an API not enabled: the gcloud command for that service and project; billed to gcloud’s project: a quota project', () => {
		expect(first('google-api/reauth-api-disabled').fix).toBe('gcloud services enable reauth.googleapis.com --project=726549120613');
		const dialogflow = first('google-api/dialogflow-billed-to-gcloud-project');
		expect(dialogflow).toMatchObject({code: 'quota-project', fix: 'gcloud auth application-default set-quota-project PROJECT_ID'});
		expect(dialogflow.sentence).toContain("32555940559, gcloud's OAuth client");
	});

	it('a VM’s scopes are changed on the VM, not asked of a client', () => {
		expect(first('google-api/logging-vm-access-scopes').fix).toBe(
			'gcloud compute instances set-service-account VM_NAME --zone=ZONE --service-account=SA_EMAIL ' +
				'--scopes=https://www.googleapis.com/auth/cloud-platform',
		);
	});

	it('a Calendar scope error asks for Calendar’s scope, which cloud-platform does not cover', () => {
		const body = JSON.stringify({
			error: {
				code: 403,
				message: 'Request had insufficient authentication scopes.',
				status: 'PERMISSION_DENIED',
				details: [
					{'@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com'},
				],
			},
		});
		const answer = {status: 403, headers: {}, body};
		const target = classifyTarget(new URL('https://www.googleapis.com/calendar/v3/calendars/primary/events'));
		const token: SentToken = {
			...{kind: 'google-access-token', audiences: [], hasEmail: false, minted: true, principal: 'dev@example.com'},
			trustedIssuer: false,
		};
		const cause = rankCauses({target, evidence: readEvidence(answer), token, receivedAt: now, answer: readAnswer(answer)})[0]!;
		expect(cause).toMatchObject({
			code: 'insufficient-scope',
			fix: 'tokscope print-access-token --scopes=https://www.googleapis.com/auth/calendar',
		});
		expect(cause.sentence).toContain('cloud-platform does not cover it');
	});

	it('reauthentication: sign in again with the tool that made the credential, gcloud’s when the source does not say', () => {
		const answer = answerOf(entry('token-endpoint/invalid-rapt-workspace-session').answer);
		const login = 'tokscope login --client-secret client.json --save adc.json --force';
		expect(mintingCauses(answer, {via: 'oauth', credential: 'user', signInAgain: login})[0]!.fix).toBe(login);
		expect(mintingCauses(answer, {via: 'oauth', credential: 'user'})[0]!.fix).toBe('gcloud auth application-default login');
		// Without a command of its own, the source says whose sign-in it is.
		expect(mintingCauses(answer, {via: 'oauth', credential: 'user', sourceId: 'login'})[0]!.fix).toBe(
			'tokscope login --client-secret CLIENT_SECRET_FILE',
		);
		expect(mintingCauses(answer, {via: 'oauth', credential: 'user', sourceId: 'gcloud'})[0]!.fix).toBe('gcloud auth login');
	});
});
