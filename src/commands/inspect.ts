import {decodeToken} from '../core/decode.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {verifyToken} from '../core/verify.js';
import {formatInspection, inspectionJson} from './inspect-format.js';
import {readTokenFromStdin} from './read-input.js';
import {lookUpTokenInfo} from './tokeninfo.js';

export interface InspectOptions {
	token?: string;
	json: boolean;
	verify: boolean;
	jwksUri?: string;
	keyFile?: string;
	secret?: string;
	tokeninfo: boolean;
}

/** `tokscope inspect`: exit 0 when the token decodes and is not proven invalid, 1 when it is invalid or unreadable. */
export async function inspect(options: InspectOptions): Promise<number> {
	const input = options.token === undefined || options.token === '-' ? await readTokenFromStdin() : options.token;
	const token = input.trim();
	const decoded = decodeToken(token);
	const view = options.verify
		? {...decoded, verification: await verifyToken(token, {jwksUri: options.jwksUri, keyFile: options.keyFile, secret: options.secret})}
		: {...decoded, verification: {...decoded.verification, reason: 'Not checked (--no-verify).'}};
	process.stdout.write(options.json ? inspectionJson(view) : formatInspection(view, new Date()));
	if (options.tokeninfo) {
		const info = await lookUpTokenInfo(token, view.kind === 'google-access-token' || view.kind === 'opaque' ? 'access_token' : 'id_token');
		process.stdout.write(`\ntokeninfo (asked ${terminalSafe(info.endpoint)}):\n${terminalSafe(JSON.stringify(info.answer, null, 2), {newlines: true})}\n`);
	}
	return view.verification.status === 'invalid' ? 1 : 0;
}
