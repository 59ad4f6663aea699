import {enableCompileCache} from 'node:module';
import {join} from 'node:path';
import packageJson from '../package.json' with {type: 'json'};
import {Argument, Command, CommanderError, Option, type CommandUnknownOpts, type OptionValues} from '@commander-js/extra-typings';
import {clipboardModes, maxClearSeconds} from './clipboard/options.js';
import {maxLifetimeSeconds, printFormats} from './commands/print-options.js';
import {errorLines, TokscopeError} from './core/errors.js';
import {processTerminal, type Terminal} from './io/terminal.js';
import {terminalSafe} from './core/terminal-safe.js';
import {idTokenFormats, sourceIds, type SourceId, type SourceOptions} from './sources/types.js';

// V8 keeps the compiled chunks between runs in the user's cache directory, so the TUI's modules start without
// reparsing (README "Speed"). Without a home there is none; where it cannot be written, Node quietly runs without.
const {HOME, XDG_CACHE_HOME, LOCALAPPDATA} = process.env;
const userCache =
	process.platform === 'win32'
		? LOCALAPPDATA
		: process.platform === 'darwin'
			? HOME && join(HOME, 'Library', 'Caches')
			: XDG_CACHE_HOME || (HOME && join(HOME, '.cache'));
if (userCache) enableCompileCache?.(join(userCache, 'tokscope'));

// Argument parsing and dispatch only: every command module (and Ink, for the TUI) is imported lazily,
// so `print-*` and `inspect` never pay for React. Commander's extra typings give each action its flags' types from
// the options declared (choices included), so a flag and the command it feeds cannot drift apart.

interface SourceFlags {
	source?: SourceId;
	keyFile?: string;
	impersonateServiceAccount?: string;
	clientSecret?: string;
}

function addSourceFlags<Args extends unknown[], Flags extends OptionValues, Globals extends OptionValues>(
	command: Command<Args, Flags, Globals>,
) {
	return command
		.addOption(new Option('--source <source>', 'credential source').choices(sourceIds))
		.option('--key-file <path>', 'service-account JSON key (implies --source key-file)')
		.option(
			'--impersonate-service-account <sa>',
			'service account to impersonate; SA[,DELEGATE...] with the target last, as gcloud does (implies --source impersonate)',
		);
}

function sourceOptions(flags: SourceFlags, fallback: SourceId): SourceOptions {
	const impersonate = flags.impersonateServiceAccount
		?.split(',')
		.map(entry => entry.trim())
		.filter(Boolean);
	const source = flags.source ?? (impersonate ? 'impersonate' : flags.keyFile ? 'key-file' : flags.clientSecret ? 'login' : fallback);
	return {source, keyFile: flags.keyFile, impersonate, clientSecret: flags.clientSecret};
}

/**
 * Source flags typed before the command (`tokscope --source key-file --key-file K print-access-token`) belong to the
 * command: carried to it, or refused where it takes none or was given others, never dropped (a token of another
 * identity would be printed).
 */
function carrySourceFlags(root: CommandUnknownOpts, command: CommandUnknownOpts): void {
	if (command === root) return;
	for (const option of root.options) {
		const key = option.attributeName();
		if (root.getOptionValueSource(key) !== 'cli') continue;
		const value: unknown = root.getOptionValue(key);
		const flag = option.long ?? key;
		if (!command.options.some(own => own.attributeName() === key))
			throw new TokscopeError('usage', `${flag} does not apply to ${command.name()}: give it after the command name, where it applies.`);
		const own: unknown = command.getOptionValue(key);
		if (command.getOptionValueSource(key) === 'cli' && own !== value)
			throw new TokscopeError('usage', `${flag} is given twice, before and after ${command.name()}, with different values: give it once.`);
		command.setOptionValueWithSource(key, value, 'cli');
	}
}

function list(value: string): string[] {
	return value
		.split(/[\s,]+/)
		.map(entry => entry.trim())
		.filter(Boolean);
}

function seconds(value: string): number {
	const parsed = Number(value);
	if (!Number.isFinite(parsed) || parsed <= 0) throw new TokscopeError('usage', `"${value}" is not a positive number of seconds.`);
	return parsed;
}

const clipboardOption = () =>
	new Option('--clipboard <way>', 'how copies reach you: auto, osc52 (over SSH) or system').choices(clipboardModes).default('auto');

/** At most a day: 1e10 was once promised as "in 10000000000 s" and cleared at once. */
function clearSeconds(value: string): number {
	const parsed = seconds(value);
	if (parsed > maxClearSeconds) {
		throw new TokscopeError('usage', `--clear-clipboard waits at most ${maxClearSeconds} seconds (a day), not ${value}.`);
	}
	return parsed;
}

const clearClipboardOption = () =>
	new Option(
		'--clear-clipboard <seconds>',
		`clear the clipboard this long after a copy (at most ${maxClearSeconds} s), if it still holds the token`,
	).argParser(clearSeconds);

const clientSecretOption = () => new Option('--client-secret <file>', 'OAuth client file (Desktop app) to sign in with as yourself');

/** `--browser` and `--no-browser` both defined: undefined unless one is given, so the sign-in chooses by itself. */
function addBrowserFlags<Args extends unknown[], Flags extends OptionValues, Globals extends OptionValues>(
	command: Command<Args, Flags, Globals>,
) {
	return command
		.option('--browser', 'sign in through a browser opened here, coming back to a loopback server')
		.option('--no-browser', 'sign in by pasting back the address the browser ended on (for SSH)');
}

const signInWay = (browser: boolean | undefined) => (browser === undefined ? undefined : browser ? 'browser' : 'paste');

const debugOption = () => new Option('--debug', 'trace every HTTP request on stderr (credentials redacted)');

const formatOption = () =>
	new Option('--format <format>', 'token (bare), header (Authorization: Bearer …) or json ({token, kind, expiresAt, principal…})')
		.choices(printFormats)
		.default('token');

function wholeSeconds(value: string): number {
	const parsed = Number(value);
	if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed))
		throw new TokscopeError('usage', `"${value}" is not a whole number of seconds.`);
	return parsed;
}

function program(terminal: Terminal) {
	const root = new Command('tokscope')
		.description('Watch Google OAuth 2.0 access tokens and OpenID Connect ID tokens live.')
		// The bundle inlines package.json, so the version holds wherever dist/ is copied to.
		.version(packageJson.version, '-V, --version')
		.showSuggestionAfterError()
		// Root flags only before the command name, so `print-access-token --source metadata` reaches the command.
		.enablePositionalOptions()
		.configureOutput({outputError: (text, write) => write(usageError(text))})
		.exitOverride()
		.hook('preAction', async (_root, command) => {
			carrySourceFlags(root, command);
			if (command.opts().debug) (await import('./commands/debug.js')).startDebugLog(terminal.stderr);
		});

	addBrowserFlags(addSourceFlags(root).addOption(clientSecretOption().implies({source: 'login'})))
		.option('--audience <aud>', 'audience for the ID token, usually your Cloud Run URL')
		.option('--scopes <scopes>', 'comma-separated OAuth scopes for the access token', list)
		.option('--demo', 'run against the built-in emulator: no Google account needed')
		.addOption(clipboardOption())
		.addOption(clearClipboardOption())
		// The TUI takes no operand, so a word here is a mistyped command: an unknown-command error (with a "did you
		// mean") rather than commander's "too many arguments".
		.allowExcessArguments()
		.action(async flags => {
			if (root.args[0] !== undefined) await unknownCommand(root, root.args[0]);
			const {runTui} = await import('./app/tui.js');
			const chosen = flags.source ?? flags.keyFile ?? flags.impersonateServiceAccount ?? flags.clientSecret;
			process.exitCode = await runTui(
				{
					source: chosen ? sourceOptions(flags, 'adc') : undefined,
					audience: flags.audience,
					scopes: flags.scopes,
					demo: flags.demo ?? false,
					clipboard: flags.clipboard,
					clearClipboardSeconds: flags.clearClipboard,
					signInWay: signInWay(flags.browser),
				},
				terminal,
			);
		});

	addSourceFlags(
		root.command('print-access-token').description('print an access token and a newline, as gcloud auth print-access-token does'),
	)
		.option('--scopes <scopes>', 'comma-separated OAuth scopes', list)
		.option(
			'--lifetime <seconds>',
			`lifetime of an impersonated access token: up to 3600, or ${maxLifetimeSeconds} where the organisation policy allows it`,
			wholeSeconds,
		)
		.option('--subject <user>', 'domain-wide delegation: act as this Workspace user (a service account’s key or impersonation)')
		.addOption(formatOption())
		.option('--copy', 'copy the token instead of printing it')
		.addOption(clipboardOption())
		.addOption(clearClipboardOption().implies({copy: true}))
		.addOption(debugOption())
		.action(async flags => {
			const {printAccessToken} = await import('./commands/print.js');
			process.exitCode = await printAccessToken(
				{
					source: sourceOptions(flags, 'adc'),
					scopes: flags.scopes,
					lifetimeSeconds: flags.lifetime,
					subject: flags.subject,
					output: flags.format,
					copy: flags.copy ?? false,
					clipboard: flags.clipboard,
					clearClipboardSeconds: flags.clearClipboard,
				},
				terminal,
			);
		});

	addSourceFlags(
		root.command('print-identity-token').description('print an ID token and a newline, as gcloud auth print-identity-token does'),
	)
		.option(
			'--audiences <aud>',
			'the audience the token is for, usually the URL of your Cloud Run service (default: the source’s own, as gcloud does)',
		)
		.addOption(formatOption())
		.option('--include-email', 'include the email and email_verified claims')
		.addOption(
			new Option('--token-format <format>', 'metadata server token format (default standard; full with --include-email)').choices(
				idTokenFormats,
			),
		)
		.option('--include-license', 'include license codes (metadata server, --token-format full)')
		.option('--copy', 'copy the token instead of printing it')
		.addOption(clipboardOption())
		.addOption(clearClipboardOption().implies({copy: true}))
		.addOption(debugOption())
		.action(async flags => {
			const {printIdentityToken} = await import('./commands/print.js');
			process.exitCode = await printIdentityToken(
				{
					source: sourceOptions(flags, 'adc'),
					audience: flags.audiences,
					includeEmail: flags.includeEmail ?? false,
					format: flags.tokenFormat,
					includeLicenses: flags.includeLicense ?? false,
					output: flags.format,
					copy: flags.copy ?? false,
					clipboard: flags.clipboard,
					clearClipboardSeconds: flags.clearClipboard,
				},
				terminal,
			);
		});

	root
		.command('inspect')
		.description('decode, explain and verify a token (argument, or - / piped stdin)')
		.argument('[token]', 'the token, or - to read it from stdin')
		.option('--json', 'print {kind, header, claims, issuedAt, expiresAt, verification} as JSON')
		.option('--no-verify', 'decode only; do not check the signature')
		.option('--jwks-uri <url>', 'verify against this JWKS instead of the issuer’s')
		.option('--key <file>', 'verify against this key: PEM, JWK or JWKS (a {"kty":"oct"} JWK for HS256/384/512)')
		.option('--secret <secret>', 'shared secret for HS256/384/512 tokens; visible to other users in the process list: prefer --secret-file')
		.option('--secret-file <file>', 'read the shared secret from FILE, or from standard input with - (one trailing newline is dropped)')
		.addOption(
			new Option('--secret-encoding <encoding>', 'how the secret is written: utf8 text, or base64 (jwt.io’s “secret base64 encoded”)')
				.choices(['utf8', 'base64'] as const)
				.default('utf8'),
		)
		.option('--at <time>', 'judge the token’s times at this instant: RFC 3339 (2011-03-22T18:43:00Z) or Unix seconds')
		.option('--tokeninfo', 'also ask Google’s tokeninfo endpoint (sends the token to Google)')
		.option('--expect-audience <aud>', 'the token is invalid unless its aud is exactly this')
		.option('--expect-issuer <iss>', 'the token is invalid unless its iss is this')
		.addOption(debugOption())
		.addHelpText(
			'after',
			'\nA token given as an argument, like --secret, is visible to other users in the process list: pipe it, or give -\n' +
				'on a terminal and paste it (ended by Ctrl-D, not echoed).\n' +
				'\nExit status: 0 when the token decodes and is not proven invalid (valid, or unverified with the reason shown),\n' +
				'1 when its signature or times make it invalid (or a claim differs from --expect-*), or when the input is not a token.',
		)
		.action(async (token, flags) => {
			const [{inspect}, {parseInstant}] = await Promise.all([import('./commands/inspect.js'), import('./commands/inspect-options.js')]);
			process.exitCode = await inspect(
				{
					token,
					json: flags.json ?? false,
					verify: flags.verify,
					jwksUri: flags.jwksUri,
					keyFile: flags.key,
					secret: flags.secret,
					secretFile: flags.secretFile,
					secretEncoding: flags.secretEncoding,
					at: flags.at === undefined ? undefined : parseInstant(flags.at),
					tokeninfo: flags.tokeninfo ?? false,
					expect:
						flags.expectAudience !== undefined || flags.expectIssuer !== undefined
							? {audience: flags.expectAudience, issuer: flags.expectIssuer}
							: undefined,
				},
				terminal,
			);
		});

	addSourceFlags(
		root
			.command('doctor')
			.description('call URL with the token it needs and say why it is rejected; without URL, say why no token can be minted'),
	)
		.argument('[url]', 'the service to call: https, or http to this machine only; without it, diagnose minting step by step')
		.option('--token <token>', 'send this token (what your program sends) instead of minting one; - reads it from stdin')
		.option('--audience <aud>', 'mint the ID token for this audience instead of the one the URL suggests (without URL: an ID token)')
		.option('--scopes <scopes>', 'without URL: the comma-separated OAuth scopes of the access token to mint', list)
		.option('--subject-token-file <file>', 'without URL: the OIDC token (GitHub Actions, GitLab, …) to exchange instead of the config’s')
		.option('--provider <file>', 'without URL: the provider’s JSON, as gcloud iam workload-identity-pools providers describe prints it')
		.option('--subject <user>', 'without URL: domain-wide delegation, the access token acting as this Workspace user')
		.option('--sa-policy <file>', 'without URL: the service account’s policy JSON, as gcloud iam service-accounts get-iam-policy prints it')
		.option('--method <method>', 'HTTP method of the one call', 'GET')
		.option('--probe', 'after an audience refusal, try the plausible audiences (at most 5 mints and 5 calls) and show which one works')
		.option('--json', 'print {url, method, status, accepted, target, token, causes, …} as JSON (without URL, with steps)')
		.addOption(debugOption())
		.addHelpText(
			'after',
			'\nExit status: 0 when the service accepted the call, 1 when it rejected it (401, 403, 407), 2 when no call could be made ' +
				'or the report could not be printed.\nWithout URL: 0 when a token was minted, 1 when an endpoint refused, 2 when ' +
				'nothing could be tried.',
		)
		.action(async (url, flags) => {
			const startedAt = performance.now();
			if (url !== undefined && (flags.subjectTokenFile ?? flags.provider ?? flags.saPolicy ?? flags.subject) !== undefined)
				throw new TokscopeError(
					'usage',
					'--subject, --subject-token-file, --provider and --sa-policy diagnose minting: give them without a URL.',
				);
			if (url === undefined) {
				if (flags.token !== undefined)
					throw new TokscopeError('usage', '--token needs the URL to send it to: tokscope doctor URL --token T.');
				const {runMintDoctor} = await import('./commands/doctor-mint.js');
				const source = sourceOptions(flags, 'adc');
				process.exitCode = await runMintDoctor({
					source: flags.subjectTokenFile ? {...source, subjectTokenFile: flags.subjectTokenFile} : source,
					audience: flags.audience,
					scopes: flags.scopes,
					...(flags.subject !== undefined ? {subject: flags.subject} : {}),
					providerFile: flags.provider,
					policyFile: flags.saPolicy,
					json: flags.json ?? false,
				});
				return;
			}
			const [{runDoctor}, {createSource}] = await Promise.all([import('./commands/doctor.js'), import('./sources/index.js')]);
			process.exitCode = await runDoctor(
				{
					url,
					source: createSource(sourceOptions(flags, 'adc')),
					token: flags.token,
					audience: flags.audience,
					method: flags.method,
					probe: flags.probe ?? false,
					json: flags.json ?? false,
					debug: flags.debug ?? false,
					startedAt,
				},
				terminal,
			);
		});

	addBrowserFlags(root.command('login').description('sign in as yourself with an OAuth client (authorization code flow with PKCE)'))
		.requiredOption(
			'--client-secret <file>',
			'OAuth client file downloaded from the Cloud Console (Desktop app, or web with a loopback redirect)',
		)
		.option('--scopes <scopes>', 'comma-separated OAuth scopes (default: openid, email, cloud-platform)', list)
		.option('--save <path>', 'write an authorized_user credential file here (mode 0600), as gcloud auth application-default login does')
		.option('--force', 'replace the --save file if it exists')
		.addOption(debugOption())
		.addHelpText('after', '\nWithout --save nothing is written: the access token is printed on stdout. The refresh token is never printed.')
		.action(async flags => {
			const {login} = await import('./commands/login.js');
			process.exitCode = await login(
				{
					clientSecret: flags.clientSecret,
					scopes: flags.scopes,
					way: signInWay(flags.browser),
					save: flags.save,
					force: flags.force ?? false,
				},
				terminal,
			);
		});

	addSourceFlags(
		root
			.command('curl')
			.description(
				'run curl with the token URL needs, as doctor chooses it (an ID token for its origin or function URL, or an access token)',
			)
			.argument('<url>', 'the URL to call')
			.argument('[curl-args...]', 'after --, arguments for curl itself (e.g. -- -X POST -d @body.json)'),
	)
		.option('--audience <aud>', 'mint an ID token for this audience instead of the one the URL implies (e.g. IAP’s OAuth client ID)')
		.addOption(
			new Option('--token-kind <kind>', 'which token to send, overriding the choice made from the URL').choices(['id', 'access'] as const),
		)
		.option('--scopes <scopes>', 'comma-separated OAuth scopes, for an access token', list)
		.addOption(debugOption())
		.addHelpText('after', '\nExit status: curl’s. On HTTP 401 or 403 one line on stderr suggests tokscope doctor URL.')
		.action(async (url, curlArgs, flags) => {
			const {curlCommand} = await import('./commands/curl.js');
			process.exitCode = await curlCommand(
				{
					url,
					curlArgs,
					source: sourceOptions(flags, 'adc'),
					audience: flags.audience,
					kind: flags.tokenKind,
					scopes: flags.scopes,
				},
				terminal,
			);
		});

	root
		.command('emulator')
		.description('run the local Google emulator in the foreground and print the environment to use it')
		.option('--port <port>', 'port on 127.0.0.1 (default: a free one)')
		.option('--lifetime <seconds>', 'token lifetime in seconds', seconds)
		.option(
			'--fail <path=status>',
			'fail requests whose path contains PATH with STATUS (e.g. /token=500, :generateIdToken=403, /identity=stall); repeatable',
			(value: string, previous: string[]) => [...previous, value],
			[] as string[],
		)
		.action(async flags => {
			const {runEmulator} = await import('./commands/emulator.js');
			process.exitCode = await runEmulator({port: flags.port, lifetimeSeconds: flags.lifetime, fail: flags.fail}, terminal);
		});

	root
		.command('completion')
		.description('print the completion script for a shell (install lines in the README)')
		.addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish'] as const))
		.action(async shell => {
			const {completionScript} = await import('./commands/completion.js');
			terminal.stdout.write(completionScript(root, shell));
		});

	root
		.command('clear-clipboard', {hidden: true})
		.description('(internal) read copied text on stdin; clear the clipboard after SECONDS if it still holds it')
		.argument('<seconds>', 'delay', seconds)
		.action(async delay => {
			const {clearWhenDue} = await import('./clipboard/clear-later.js');
			process.exitCode = await clearWhenDue(delay, terminal.stdin);
		});

	return root;
}

/**
 * The TUI takes no operand, so a word there is a mistyped command: said as commander says an unknown option, with the
 * closest command (commander's own suggestion is only made for a program without an action of its own).
 */
async function unknownCommand(root: CommandUnknownOpts, word: string): Promise<never> {
	const {default: leven, closestMatch} = await import('leven');
	const names = root
		.createHelp()
		.visibleCommands(root)
		.map(command => command.name());
	// As commander's suggestions: no more than 40% of the longer word may differ.
	const close = names.filter(name => leven(word, name) <= Math.max(word.length, name.length) * 0.4);
	const suggestion = closestMatch(word, close);
	root.error(`error: unknown command '${word}'${suggestion ? `\n(Did you mean ${suggestion}?)` : ''}`, {
		code: 'commander.unknownCommand',
	});
}

/**
 * Commander's usage errors, one line: its "(Did you mean …?)" joins the sentence, and the words the user typed, which
 * commander quotes back, show any control character as an escape (a pasted ESC [2J must not clear the screen).
 */
function usageError(text: string): string {
	const [sentence = '', suggestion] = text
		.replace(/^error: /, '')
		.trimEnd()
		.split(/\n\(Did you mean (.+)\?\)$/);
	// Commander quotes what the user typed (an unknown option may hold escapes): shown, never sent to the terminal.
	const visible = terminalSafe(sentence);
	return `tokscope: ${visible}${suggestion ? `; did you mean ${suggestion}?` : ' (see tokscope --help)'}\n`;
}

/** The one place errors meet the user: one sentence (plus a hint), never a stack trace. */
function report(error: unknown, stderr: NodeJS.WritableStream): number {
	if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
	stderr.write(errorLines(error));
	return 1;
}

const terminal = processTerminal();
try {
	await program(terminal).parseAsync(process.argv);
} catch (error) {
	process.exitCode = report(error, terminal.stderr);
}
// A request the library still retries in the background (a stalled metadata server) must not keep a finished command alive.
terminal.exit();
