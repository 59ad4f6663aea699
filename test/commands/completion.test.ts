import {execFile} from 'node:child_process';
import {access, chmod, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {delimiter, join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {sourceIds} from '../../src/sources/types.js';
import {runCli} from '../support/cli.js';

// The scripts `tokscope completion bash|zsh|fish` prints, loaded into the real shells and asked to complete command
// lines as a user's TAB would. bash is everywhere; zsh and fish are checked where they are installed.

const run = promisify(execFile);
let dir: string;
const scripts: Record<string, string> = {};

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tokscope-completion-'));
	for (const shell of ['bash', 'zsh', 'fish']) {
		const result = await runCli(['completion', shell]);
		expect(result).toMatchObject({code: 0, stderr: ''});
		scripts[shell] = join(dir, shell === 'zsh' ? 'zfunctions/_tokscope' : `tokscope.${shell}`);
		await mkdir(join(dir, 'zfunctions'), {recursive: true});
		await writeFile(scripts[shell], result.stdout);
	}
	// A `tokscope` on PATH for the shells that look the command up before completing it.
	await mkdir(join(dir, 'bin'));
	await writeFile(join(dir, 'bin/tokscope'), '#!/bin/sh\n');
	await chmod(join(dir, 'bin/tokscope'), 0o755);
	await writeFile(join(dir, 'service-account-key.json'), '{}');
});
afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

/** bash's answer to TAB at the end of `line`: the script sourced, COMP_WORDS and COMP_CWORD set as readline sets them. */
async function bashComplete(line: string): Promise<string[]> {
	// readline splits at = too (COMP_WORDBREAKS), so --opt=value is three words.
	const words = line.split(/ |(?==)|(?<==)/).filter((word, index, all) => word !== '' || index === all.length - 1);
	const program = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tokscope; printf "%s\\n" "${COMPREPLY[@]}"';
	const {stdout} = await run('bash', ['--norc', '-c', program, 'bash', scripts.bash!, ...words], {cwd: dir});
	return stdout.split('\n').filter(Boolean);
}

describe('bash completion', () => {
	it('completes commands, not hidden ones, and their prefixes', async () => {
		expect(await bashComplete('tokscope ')).toEqual([
			'print-access-token',
			'print-identity-token',
			'inspect',
			'doctor',
			'login',
			'curl',
			'emulator',
			'completion',
		]);
		expect(await bashComplete('tokscope print-')).toEqual(['print-access-token', 'print-identity-token']);
		// Root options and their values come before the command.
		expect(await bashComplete('tokscope --source metadata ins')).toEqual(['inspect']);
	});

	it('completes each command’s options and the values commander knows', async () => {
		expect(await bashComplete('tokscope print-access-token --so')).toEqual(['--source']);
		expect(await bashComplete('tokscope print-access-token --source ')).toEqual(sourceIds);
		expect(await bashComplete('tokscope print-identity-token --token-format=f')).toEqual(['full']);
		expect(await bashComplete('tokscope print-identity-token --audiences ')).toEqual([]);
		expect(await bashComplete('tokscope completion ')).toEqual(['bash', 'zsh', 'fish']);
		expect(await bashComplete('tokscope --clipboard ')).toEqual(['auto', 'osc52', 'system']);
	});

	it('completes paths for options whose value is a file', async () => {
		expect(await bashComplete('tokscope print-access-token --key-file serv')).toEqual(['service-account-key.json']);
		expect(await bashComplete('tokscope inspect --key serv')).toEqual(['service-account-key.json']);
	});

	it('never drifts from the CLI: every option in each command’s --help completes', async () => {
		for (const command of ['', 'print-access-token', 'print-identity-token', 'inspect', 'doctor', 'login', 'emulator']) {
			const help = await runCli(command ? [command, '--help'] : ['--help']);
			const options = [...new Set(help.stdout.match(/(?<=^|[\s,])--[a-z][\w-]*\b(?!-)/gm))];
			expect(options.length).toBeGreaterThan(1);
			const completed = await bashComplete(`tokscope ${command}${command ? ' ' : ''}--`);
			expect(completed).toEqual(expect.arrayContaining(options));
		}
	});
});

async function installed(shell: string): Promise<boolean> {
	try {
		await run(shell, ['-c', 'true']);
		return true;
	} catch {
		return false;
	}
}

describe('zsh completion', async () => {
	const zsh = await installed('zsh');
	/** The command line after TAB, typed into an interactive zsh in a pseudo-terminal (zsh's own zpty). */
	async function zshComplete(line: string): Promise<string> {
		const driver = [
			'zmodload zsh/zpty',
			'zpty z zsh -f -i',
			`zpty -w z 'PROMPT=">>"; fpath=(${join(dir, 'zfunctions')} $fpath); autoload -U compinit; compinit -u -D; ` +
				`zstyle ":completion:*" menu no'`,
			// Prints the edited line once TAB has done its work; the marker is split so the echo of this command never matches.
			`zpty -w z 'show() { print -n "\\nDO""NE<\${BUFFER}>\\n"; }; zle -N show; bindkey "^T" show'`,
			'zpty -w z "$1"$\'\\t\\x14\'',
			"out=''",
			'for i in {1..50}; do zpty -rt z chunk 2>/dev/null && out+=$chunk; [[ $out == *DONE\\<*\\>* ]] && break; sleep 0.1; done',
			'print -r -- "${${out##*DONE<}%%>*}"',
			'zpty -d z',
		].join('\n');
		const {stdout} = await run('zsh', ['-f', '-c', driver, 'zsh', line], {
			cwd: dir,
			env: {PATH: [join(dir, 'bin'), process.env.PATH].join(delimiter), HOME: dir},
		});
		return stdout.trimEnd();
	}

	it('completes commands, options and their values', async context => {
		if (!zsh) return context.skip('zsh is not installed here');
		expect(await zshComplete('tokscope print-acc')).toBe('tokscope print-access-token');
		expect(await zshComplete('tokscope print-access-token --sou')).toBe('tokscope print-access-token --source');
		expect(await zshComplete('tokscope print-access-token --source met')).toBe('tokscope print-access-token --source metadata');
		expect(await zshComplete('tokscope inspect --key serv')).toBe('tokscope inspect --key service-account-key.json');
		expect(await zshComplete('tokscope completion fi')).toBe('tokscope completion fish');
	});
});

describe('fish completion', async () => {
	const fish = await installed('fish');
	async function fishComplete(line: string): Promise<string[]> {
		const {stdout} = await run('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', scripts.fish!, line], {
			cwd: dir,
			env: {PATH: [join(dir, 'bin'), process.env.PATH].join(delimiter), HOME: dir},
		});
		return stdout
			.split('\n')
			.filter(Boolean)
			.map(entry => entry.split('\t')[0]!);
	}

	it('completes commands, options and their values', async context => {
		if (!fish) return context.skip('fish is not installed here');
		expect(await fishComplete('tokscope print-')).toEqual(['print-access-token', 'print-identity-token']);
		expect(await fishComplete('tokscope print-access-token --so')).toEqual(['--source']);
		expect((await fishComplete('tokscope print-access-token --source ')).sort()).toEqual([...sourceIds].sort());
		expect(await fishComplete('tokscope inspect --key serv')).toEqual(['service-account-key.json']);
		expect(await fishComplete('tokscope completion ')).toEqual(['bash', 'fish', 'zsh']);
	});
});

describe('installing the scripts as the README says', () => {
	it('runs the README’s bash and fish lines in a fresh home, where the folders do not exist yet', async () => {
		const readme = await readFile(resolve('README.md'), 'utf8');
		const block = /### Shell completion\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
		// The lines for bash and fish (zsh's goes into a folder of the user's own $fpath), without their comments.
		const lines = block
			.split('\n')
			.filter(line => /bash-completion\/completions|fish\/completions/.test(line))
			.map(line => line.replace(/\s+#.*$/, ''));
		expect(lines.length).toBeGreaterThanOrEqual(3);
		const home = await mkdtemp(join(dir, 'home-'));
		const bin = join(home, 'bin');
		await mkdir(bin);
		await writeFile(join(bin, 'tokscope'), `#!/bin/sh\nexec '${process.execPath}' '${resolve('dist/cli.js')}' "$@"\n`);
		await chmod(join(bin, 'tokscope'), 0o755);
		const env = {HOME: home, PATH: [bin, process.env.PATH].join(delimiter)};
		await run('bash', ['--norc', '-e', '-c', lines.join('\n')], {env});
		expect(await readFile(join(home, '.local/share/bash-completion/completions/tokscope'), 'utf8')).toBe(
			(await runCli(['completion', 'bash'])).stdout,
		);
		expect(await readFile(join(home, '.config/fish/completions/tokscope.fish'), 'utf8')).toBe(
			(await runCli(['completion', 'fish'])).stdout,
		);
		// Where bash-completion is installed, it finds the script there when tokscope is first completed.
		const loader = '/usr/share/bash-completion/bash_completion';
		if (
			await access(loader).then(
				() => true,
				() => false,
			)
		) {
			const {stdout} = await run('bash', ['--norc', '-c', `source ${loader}; __load_completion tokscope; complete -p tokscope`], {env});
			expect(stdout).toContain('tokscope');
		}
	});
});
