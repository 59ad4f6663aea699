import {describe, expect, it} from 'vitest';
import {runDoctor} from '../../src/commands/doctor.js';
import {inspect} from '../../src/commands/inspect.js';
import type {TokenSource} from '../../src/sources/types.js';
import {testTerminal} from '../support/terminal.js';

// Commands read and write the terminal they are handed, never process's own: what a script sees is what these record.

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('a command and its terminal', () => {
	it('inspect reads a piped token from the terminal’s stdin and prints its JSON on the terminal’s stdout', async () => {
		const {terminal, stdout, stderr, input} = testTerminal();
		input(`${b64({alg: 'none'})}.${b64({iss: 'https://issuer.example', sub: 'x'})}.\n`);
		const code = await inspect({token: '-', json: true, verify: false, tokeninfo: false}, terminal);
		expect(JSON.parse(stdout())).toMatchObject({kind: 'jwt', claims: {iss: 'https://issuer.example'}});
		expect({code, stderr: stderr()}).toEqual({code: 0, stderr: ''});
	});

	it('doctor --token - refuses a terminal as its stdin in one sentence, exit 2, before anything is minted', async () => {
		const {terminal, stdout, stderr} = testTerminal({tty: true});
		const never = () => Promise.reject(new Error('nothing may be minted'));
		const source: TokenSource = {id: 'adc', label: 'ADC', describe: never, accessToken: never, idToken: never};
		const options = {url: 'https://svc.example.com/', source, token: '-', probe: false, json: false, debug: false};
		expect(await runDoctor(options, terminal)).toBe(2);
		expect(stdout()).toBe('');
		expect(stderr()).toBe(
			'tokscope: --token - reads the token from standard input, which is a terminal.\n' +
				'  Pipe it in: tokscope print-identity-token --audiences=URL | tokscope doctor URL --token -\n',
		);
	});
});
