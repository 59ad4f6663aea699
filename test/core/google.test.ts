import {describe, expect, it} from 'vitest';
import {
	gcloudClientId,
	iamMember,
	isGoogleApiHost,
	isGoogleIssuer,
	isServiceAccountEmail,
	oauthClientIdPattern,
	projectOfServiceAccount,
} from '../../src/core/google.js';

// Google's facts, each written once: the verifier, doctor, inspect, the sources and the audience check all read these.

describe('Google’s facts', () => {
	it('its issuer, written both ways, and nothing that merely resembles it', () => {
		expect(isGoogleIssuer('https://accounts.google.com')).toBe(true);
		expect(isGoogleIssuer('accounts.google.com')).toBe(true);
		for (const issuer of ['http://accounts.google.com', 'https://accounts.google.com/', 'https://accounts.google.com.evil', undefined]) {
			expect(isGoogleIssuer(issuer)).toBe(false);
		}
	});

	it('a service account’s email, its own kinds included, and its project', () => {
		for (const email of [
			'runner@my-proj.iam.gserviceaccount.com',
			'123456789-compute@developer.gserviceaccount.com',
			'my-proj@appspot.gserviceaccount.com',
			'service-123@gcp-sa-pubsub.iam.gserviceaccount.com',
		]) {
			expect(isServiceAccountEmail(email)).toBe(true);
		}
		for (const text of [
			'alice@example.com',
			'x.gserviceaccount.com',
			'a b@p.iam.gserviceaccount.com',
			'a@p.iam.gserviceaccount.com.evil',
		]) {
			expect(isServiceAccountEmail(text)).toBe(false);
		}
		expect(projectOfServiceAccount('runner@my-proj.iam.gserviceaccount.com')).toBe('my-proj');
		expect(projectOfServiceAccount('123456789-compute@developer.gserviceaccount.com')).toBeUndefined();
	});

	it('an OAuth client ID: IAP’s, and gcloud’s own, which has no dash', () => {
		expect(oauthClientIdPattern.test('123456789012-abc123def.apps.googleusercontent.com')).toBe(true);
		expect(oauthClientIdPattern.test(gcloudClientId)).toBe(true);
		expect(oauthClientIdPattern.test('https://x.apps.googleusercontent.com')).toBe(false);
	});

	it('the IAM member: serviceAccount: for a service account, user: for another email, the placeholder for the rest', () => {
		expect(iamMember('runner@p.iam.gserviceaccount.com', 'user:YOU')).toBe('serviceAccount:runner@p.iam.gserviceaccount.com');
		expect(iamMember('123-compute@developer.gserviceaccount.com', 'user:YOU')).toBe(
			'serviceAccount:123-compute@developer.gserviceaccount.com',
		);
		expect(iamMember('alice@example.com', 'user:YOU')).toBe('user:alice@example.com');
		expect(iamMember(undefined, 'user:YOU')).toBe('user:YOU');
		// A federated principal is no email: IAM has no user: member for it.
		const federated = 'federated principal of //iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p';
		expect(iamMember(federated, 'serviceAccount:SA_EMAIL')).toBe('serviceAccount:SA_EMAIL');
	});

	it('its APIs’ hosts', () => {
		expect(isGoogleApiHost('storage.googleapis.com')).toBe(true);
		expect(isGoogleApiHost('googleapis.com')).toBe(true);
		expect(isGoogleApiHost('googleapis.com.evil')).toBe(false);
		expect(isGoogleApiHost('notgoogleapis.com')).toBe(false);
	});
});
