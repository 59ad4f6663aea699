import type {IncomingMessage} from 'node:http';
import type {EmulatorState} from './state.js';

/**
 * Google's answer to a quota project (`X-Goog-User-Project`) the caller may not bill: 403 in Google's error model,
 * worded as quoted in test/fixtures/real-world/google-api/api-key-with-quota-project.json and
 * iam-credentials/quota-project-not-permitted.json, with the ErrorInfo reason Google documents for it
 * (USER_PROJECT_DENIED, googleapis/googleapis google/api/error_reason.proto). Only the emulator's own project may be
 * billed. Undefined when the request names none, or that one.
 */
export function quotaProjectRefusal(request: IncomingMessage, state: EmulatorState, service: string): unknown {
	const header = request.headers['x-goog-user-project'];
	const project = (Array.isArray(header) ? header[0] : header)?.trim();
	if (!project || project === state.projectId || project === state.projectNumber) return undefined;
	return {
		error: {
			code: 403,
			message:
				`Caller does not have required permission to use project ${project}. Grant the caller the ` +
				'roles/serviceusage.serviceUsageConsumer role, or a custom role with the serviceusage.services.use permission, by ' +
				`visiting https://console.developers.google.com/iam-admin/iam/project?project=${project} and then retry. ` +
				'Propagation of the new permission may take a few minutes.',
			status: 'PERMISSION_DENIED',
			details: [
				{
					'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
					reason: 'USER_PROJECT_DENIED',
					domain: 'googleapis.com',
					metadata: {consumer: `projects/${project}`, service},
				},
			],
		},
	};
}
