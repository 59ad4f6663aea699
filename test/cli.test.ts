import {describe, expect, it} from 'vitest';
import {runCli} from './support/cli.js';

// Usage errors of the built CLI: a mistyped command or option names the nearest one, and what the user typed is
// quoted back with its control characters shown, never sent to the terminal.

describe('a mistyped command or option', () => {
	it('suggests the nearest command', async () => {
		expect(await runCli(['print-acess-token'])).toMatchObject({
			code: 2,
			stdout: '',
			stderr: "tokscope: unknown command 'print-acess-token'; did you mean print-access-token?\n",
		});
		expect((await runCli(['inspec', 'x.y.z'])).stderr).toBe("tokscope: unknown command 'inspec'; did you mean inspect?\n");
	});

	it('suggests the nearest option, of the command it was given to', async () => {
		expect(await runCli(['print-access-token', '--sorce', 'metadata'])).toMatchObject({
			code: 2,
			stdout: '',
			stderr: "tokscope: unknown option '--sorce'; did you mean --source?\n",
		});
		expect((await runCli(['inspect', '--jwks-url', 'https://example.com'])).stderr).toBe(
			"tokscope: unknown option '--jwks-url'; did you mean --jwks-uri?\n",
		);
		expect((await runCli(['--dem'])).stderr).toBe("tokscope: unknown option '--dem'; did you mean --demo?\n");
	});

	it('points at --help when nothing is near', async () => {
		expect(await runCli(['frobnicate'])).toMatchObject({
			code: 2,
			stdout: '',
			stderr: "tokscope: unknown command 'frobnicate' (see tokscope --help)\n",
		});
	});

	it('shows escape sequences in what was typed as text, never raw', async () => {
		const clear = await runCli(['print-\u001B[2J\u001B[31mtoken']);
		expect(clear.code).toBe(2);
		expect(clear.stderr).toBe("tokscope: unknown command 'print-\\u001b[2J\\u001b[31mtoken' (see tokscope --help)\n");
		const title = await runCli(['inspect', '--jwks\u001B]0;pwned\u0007', '\u009B2J']);
		expect(title.stderr).toBe("tokscope: unknown option '--jwks\\u001b]0;pwned\\u0007' (see tokscope --help)\n");
		expect(`${clear.stderr}${title.stderr}`).not.toMatch(/(?!\n)\p{Cc}/u);
	});
});
