import type {ServerResponse} from 'node:http';
import {audiencesOf} from './bearer.js';
import {send, type ServiceRequest} from './context.js';

// API Gateway runs ESPv2, whose Envoy jwt_authn filter checks the token in this order — form, issuer (the
// x-google-issuer configured), audience (x-google-audiences), expiry, then the signature — and answers each failure
// with 401 and a JSON body `{"code":401,"message":"Jwt is missing"}` (GoogleCloudPlatform/esp-v2
// tests/integration_test/jwt_auth_test; the messages are Envoy's jwt_verify_lib status strings;
// https://cloud.google.com/endpoints/docs/openapi/troubleshoot-jwt). The challenge is
// `www-authenticate: Bearer realm="<request URL>"` (envoy jwt_authn filter_integration_test), with
// `error="invalid_token"` when a token was sent (RFC 6750 §3; assumed for Envoy's exact spacing).
// ESPv2 only authenticates: who may call the backend is the backend's IAM, so there is no invoker list here.

function refuse(response: ServerResponse, realm: string, message: string, missing = false): void {
	send(response, 401, JSON.stringify({code: 401, message}), {
		'Content-Type': 'application/json',
		'WWW-Authenticate': missing ? `Bearer realm="${realm}"` : `Bearer realm="${realm}", error="invalid_token"`,
		Server: 'Google Frontend',
	});
}

export function answerApiGateway({presented, settings, url, response, state}: ServiceRequest): void {
	const realm = `${url.origin}${url.pathname}`;
	if (presented.kind === 'none') return refuse(response, realm, 'Jwt is missing', true);
	if (presented.kind === 'opaque')
		return refuse(response, realm, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections');
	if (presented.claims.iss !== state.endpoints.issuer) return refuse(response, realm, 'Jwt issuer is not configured');
	if (!audiencesOf(presented.claims).some(audience => settings.audiences.includes(audience)))
		return refuse(response, realm, 'Audiences in Jwt are not allowed');
	if (presented.expired) return refuse(response, realm, 'Jwt is expired');
	if (!presented.signedByGoogle) return refuse(response, realm, 'Jwt verification fails');
	send(response, 200, JSON.stringify({message: 'Hello from API Gateway', principal: presented.principal ?? null}), {
		'Content-Type': 'application/json',
		Server: 'Google Frontend',
	});
}
