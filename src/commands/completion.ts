import type {CommandUnknownOpts as Command, Option} from '@commander-js/extra-typings';

// Completion scripts written out from commander's own list of commands and options, so they never drift from the CLI:
// a command or option added to cli.ts is in the next `tokscope completion …` output. They are static (no `tokscope`
// runs on each TAB, as the dynamic library @bomb.sh/tab, still at 0.0.x, would do: ~40 ms of Node start per key),
// complete option values from commander's choices, and complete paths for options whose value is a <path> or <file>.

export type Shell = 'bash' | 'zsh' | 'fish';
export const shells: Shell[] = ['bash', 'zsh', 'fish'];

interface OptionSpec {
	names: string[];
	description: string;
	takesValue: boolean;
	choices?: string[];
	path: boolean;
}

interface CommandSpec {
	name: string;
	description: string;
	options: OptionSpec[];
	/** Choices of the first argument (`completion bash|zsh|fish`). */
	argumentChoices?: string[];
}

interface Spec {
	name: string;
	root: CommandSpec;
	commands: CommandSpec[];
}

function optionSpec(option: Option): OptionSpec {
	return {
		names: [option.long, option.short].filter((name): name is string => Boolean(name)),
		description: option.description,
		takesValue: option.required || option.optional,
		choices: option.argChoices,
		path: /<(path|file)>|\[(path|file)\]/.test(option.flags),
	};
}

function commandSpec(command: Command): CommandSpec {
	const help = command.createHelp();
	return {
		name: command.name(),
		description: command.description(),
		options: help.visibleOptions(command).map(optionSpec),
		argumentChoices: help.visibleArguments(command)[0]?.argChoices,
	};
}

function describeProgram(program: Command): Spec {
	return {
		name: program.name(),
		root: commandSpec(program),
		commands: program
			.createHelp()
			.visibleCommands(program)
			.filter(command => command.name() !== 'help')
			.map(commandSpec),
	};
}

/** The completion script for a shell, for the program given (the root `tokscope` command). */
export function completionScript(program: Command, shell: Shell): string {
	const spec = describeProgram(program);
	return {bash, zsh, fish}[shell](spec);
}

/** Single-quoted for any of the three shells: nothing inside is expanded. */
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
const words = (list: string[]) => quote(list.join(' '));
/** A description on one line, as short as a completion menu shows. */
const short = (text: string) => text.replace(/\s+/g, ' ').trim();

function bash(spec: Spec): string {
	const fn = `_${spec.name.replace(/\W/g, '_')}`;
	const valueCases = (command: CommandSpec) =>
		command.options
			.filter(option => option.takesValue)
			.map(option => {
				const reply = option.choices
					? `COMPREPLY=($(compgen -W ${words(option.choices)} -- "$cur"))`
					: option.path
						? 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))'
						: 'COMPREPLY=()';
				return `\t\t\t\t${option.names.join('|')}) ${reply}; return ;;`;
			})
			.join('\n');
	const branch = (command: CommandSpec, pattern: string, positional: string[]) =>
		[
			`\t\t${pattern})`,
			'\t\t\tcase $option in',
			valueCases(command),
			'\t\t\tesac',
			`\t\t\tif [[ $cur == -* ]]; then COMPREPLY=($(compgen -W ${words(command.options.flatMap(option => option.names))} -- "$cur"))`,
			positional.length > 0
				? `\t\t\telif ((positional == 0)); then COMPREPLY=($(compgen -W ${words(positional)} -- "$cur")); fi ;;`
				: '\t\t\tfi ;;',
		]
			.filter(Boolean)
			.join('\n');
	const rootValueOptions = spec.root.options.filter(option => option.takesValue).flatMap(option => option.names);
	return `# bash completion for ${spec.name}, written by \`${spec.name} completion bash\` from its own commands and options.
# Install: ${spec.name} completion bash > ~/.local/share/bash-completion/completions/${spec.name}
#      or: echo 'source <(${spec.name} completion bash)' >> ~/.bashrc
${fn}() {
	local cur=\${COMP_WORDS[COMP_CWORD]} option=\${COMP_WORDS[COMP_CWORD-1]} command='' positional=0 i=1 word
	# --option=value arrives as three words (bash splits at =): complete the value of the option before the =.
	if [[ $option == = ]] && ((COMP_CWORD >= 2)); then option=\${COMP_WORDS[COMP_CWORD-2]}
	elif [[ $cur == = ]]; then option=\${COMP_WORDS[COMP_CWORD-1]} cur=''
	fi
	# The command is the first word that is neither an option nor an option's value.
	while ((i < COMP_CWORD)); do
		word=\${COMP_WORDS[i]}
		if [[ -z $command ]]; then
			case $word in
				${rootValueOptions.length > 0 ? `${rootValueOptions.join('|')}) ((i++)) ;;` : ''}
				-*) ;;
				*) command=$word ;;
			esac
		elif [[ $word != -* && $word != = && \${COMP_WORDS[i-1]} != = ]]; then ((positional++))
		fi
		((i++))
	done
	case $command in
${branch(
	spec.root,
	"''",
	spec.commands.map(command => command.name),
)}
${spec.commands.map(command => branch(command, quote(command.name), command.argumentChoices ?? [])).join('\n')}
	esac
}
complete -F ${fn} ${spec.name}
`;
}

/** zsh's _arguments takes [description] in brackets: brackets and backslashes inside are escaped. */
const zshDescription = (text: string) => short(text).replace(/[\\[\]]/g, match => `\\${match}`);

function zshOption(option: OptionSpec): string[] {
	const action = option.choices
		? `:value:(${option.choices.join(' ')})`
		: option.path
			? ':path:_files'
			: option.takesValue
				? ':value: '
				: '';
	return option.names.map(name => quote(`${name}[${zshDescription(option.description)}]${action}`));
}

function zsh(spec: Spec): string {
	const fn = `_${spec.name.replace(/\W/g, '_')}`;
	const commandList = spec.commands
		.map(command => `\t\t${quote(`${command.name}:${short(command.description).replaceAll(':', '\\:')}`)}`)
		.join('\n');
	const commandCases = spec.commands
		.map(command => {
			const argument = command.argumentChoices ? ` ${quote(`1:value:(${command.argumentChoices.join(' ')})`)}` : '';
			return `\t\t\t\t${quote(command.name)}) _arguments ${command.options.flatMap(zshOption).join(' ')}${argument} ;;`;
		})
		.join('\n');
	return `#compdef ${spec.name}
# zsh completion for ${spec.name}, written by \`${spec.name} completion zsh\` from its own commands and options.
# Install: ${spec.name} completion zsh > "\${fpath[1]}/_${spec.name}"   (then start a new shell)
#      or: echo 'source <(${spec.name} completion zsh)' >> ~/.zshrc   (after compinit)
${fn}() {
	local -a commands=(
${commandList}
	)
	local state line
	local -A opt_args
	_arguments -C ${spec.root.options.flatMap(zshOption).join(' ')} '1: :->command' '*:: :->argument'
	case $state in
		command) _describe command commands ;;
		argument)
			case $line[1] in
${commandCases}
			esac ;;
	esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then ${fn} "$@"; else compdef ${fn} ${spec.name}; fi
`;
}

function fish(spec: Spec): string {
	const option = (condition: string, option: OptionSpec) => {
		const flags = option.names.map(name => (name.startsWith('--') ? `-l ${name.slice(2)}` : `-s ${name.slice(1)}`)).join(' ');
		const value = option.choices ? ` -x -a ${words(option.choices)}` : option.path ? ' -r -F' : option.takesValue ? ' -x' : '';
		return `complete -c ${spec.name} -n ${quote(condition)} ${flags}${value} -d ${quote(short(option.description))}`;
	};
	const names = spec.commands.map(command => command.name).join(' ');
	const atRoot = `not __fish_seen_subcommand_from ${names}`;
	const lines = [
		`# fish completion for ${spec.name}, written by \`${spec.name} completion fish\` from its own commands and options.`,
		`# Install: ${spec.name} completion fish > ~/.config/fish/completions/${spec.name}.fish`,
		`complete -c ${spec.name} -f`,
		...spec.commands.map(
			command => `complete -c ${spec.name} -n ${quote(atRoot)} -a ${quote(command.name)} -d ${quote(short(command.description))}`,
		),
		...spec.root.options.map(each => option(atRoot, each)),
		...spec.commands.flatMap(command => [
			...command.options.map(each => option(`__fish_seen_subcommand_from ${command.name}`, each)),
			...(command.argumentChoices
				? [`complete -c ${spec.name} -n ${quote(`__fish_seen_subcommand_from ${command.name}`)} -a ${words(command.argumentChoices)}`]
				: []),
		]),
	];
	return `${lines.join('\n')}\n`;
}
