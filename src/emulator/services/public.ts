import {send, traceContext, type ServiceRequest} from './context.js';

/** A Cloud Run service that allows unauthenticated invocations: 200 with or without a token, as `allUsers` gives. */
export function answerPublic({response}: ServiceRequest): void {
	send(response, 200, 'Hello, world! This service allows unauthenticated invocations.\n', {
		'Content-Type': 'text/plain; charset=utf-8',
		Server: 'Google Frontend',
		'X-Cloud-Trace-Context': traceContext(),
	});
}
