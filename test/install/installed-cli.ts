import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {resolve} from 'node:path';
import {decodeJwt} from 'jose';
import {expect} from 'vitest';
import type {CredentialFiles, Emulator} from '../../src/emulator/index.js';

// What a user does first with a tokscope they installed (from the npm tarball or as the single executable), checked the
// same way for both: the version, an access token through google-auth-library (a key file), an ID token from the
// metadata server, and inspect verifying that ID token with the issuer's published keys.

export interface Result {
	code: number | null;
	stdout: string;
	stderr: string;
}

export const packageVersion = (JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as {version: string}).version;

/** Runs a program with exactly the environment given (no PATH unless given), stdin closed. */
export function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Result> {
	return new Promise((done, fail) => {
		const child = spawn(file, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += chunk));
		child.stderr.on('data', chunk => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', fail);
		child.on('close', code => {
			clearTimeout(timer);
			done({code, stdout, stderr});
		});
	});
}

export async function expectVersion(tokscope: (args: string[]) => Promise<Result>): Promise<void> {
	expect(await tokscope(['--version'])).toEqual({code: 0, stdout: `${packageVersion}\n`, stderr: ''});
}

export async function expectAccessToken(tokscope: (args: string[]) => Promise<Result>, files: CredentialFiles): Promise<void> {
	const result = await tokscope(['print-access-token', '--key-file', files.serviceAccountKey]);
	expect(result).toMatchObject({code: 0, stderr: ''});
	expect(result.stdout).toMatch(/^ya29\.[\w.-]+\n$/);
}

export async function expectInspectedIdToken(tokscope: (args: string[]) => Promise<Result>, emulator: Emulator): Promise<void> {
	const printed = await tokscope(['print-identity-token', '--source', 'metadata', '--audiences', 'https://svc.run.app']);
	expect(printed).toMatchObject({code: 0, stderr: ''});
	const token = printed.stdout.trim();
	expect(decodeJwt(token)).toMatchObject({aud: 'https://svc.run.app', iss: emulator.url});
	const inspected = await tokscope(['inspect', token]);
	expect(inspected).toMatchObject({code: 0, stderr: ''});
	expect(inspected.stdout).toMatch(/^ID token \(OpenID Connect JWT\)/);
	expect(inspected.stdout).toMatch(/signature\s+✓ valid — Signature verified with the issuer’s published keys/);
}
