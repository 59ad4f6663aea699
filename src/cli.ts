import {enableCompileCache} from 'node:module';
import packageJson from '../package.json' with {type: 'json'};
import {Command, Option, CommanderError} from 'commander';
import {TokscopeError} from './core/errors.js';
import {redactSecrets} from './core/redact.js';
import {terminalSafe} from './core/terminal-safe.js';
import {sourceIds, type SourceId, type SourceOptions} from './sources/types.js';

// V8 keeps the compiled bundle on disk between runs, so every command module below starts without reparsing.
enableCompileCache?.();

// Argument parsing and dispatch only: every command module (and Ink, for the TUI) is imported lazily,
// so `print-*` and `inspect` never pay for React.

interface SourceFlags {
	source?: SourceId;
	keyFile?: string;
	impersonateServiceAccount?: string;
}

function addSourceFlags(command: Command): Command {
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
	const source = flags.source ?? (impersonate ? 'impersonate' : flags.keyFile ? 'key-file' : fallback);
	return {source, keyFile: flags.keyFile, impersonate};
}

function list(value: string): string[] {
	return value
		.split(/[\s,]+/)
		.map(entry => entry.trim())
		.filter(Boolean);
}

function seconds(value: string): number {
	const parsed = Number(value);
	if (!Number.isFinite(parsed) || parsed <= 0) throw new TokscopeError(`"${value}" is not a positive number of seconds.`);
	return parsed;
}

const clipboardOption = () =>
	new Option('--clipboard <way>', 'how copies reach you: auto, osc52 (over SSH) or system').choices(['auto', 'osc52', 'system']).default('auto');

/** At most a day (clipboard/clear.ts's maxClearSeconds): 1e10 was once promised as "in 10000000000 s" and cleared at once. */
function clearSeconds(value: string): number {
	const parsed = seconds(value);
	if (parsed > 86_400) throw new TokscopeError(`--clear-clipboard waits at most 86400 seconds (a day), not ${value}.`);
	return parsed;
}

const clearClipboardOption = () =>
	new Option('--clear-clipboard <seconds>', 'clear the clipboard this long after a copy (at most 86400 s), if it still holds the token').argParser(clearSeconds);

const debugOption = () => new Option('--debug', 'trace every HTTP request on stderr (credentials redacted)');

function program(): Command {
	const root = new Command('tokscope')
		.description('Watch Google OAuth 2.0 access tokens and OpenID Connect ID tokens live.')
		// The bundle inlines package.json, so the version holds wherever dist/ is copied to.
		.version(packageJson.version, '-V, --version')
		.showSuggestionAfterError()
		// Root flags only before the command name, so `print-access-token --source metadata` reaches the command.
		.enablePositionalOptions()
		// Commander quotes what the user typed (an unknown option may hold escapes): shown, never sent to the terminal.
		.configureOutput({outputError: (text, write) => write(`tokscope: ${terminalSafe(text.replace(/^error: /, '').trimEnd())} (see tokscope --help)\n`)})
		.exitOverride()
		.hook('preAction', async (_root, command) => {
			if (command.opts().debug) (await import('./commands/debug.js')).startDebugLog();
		});

	addSourceFlags(root)
		.option('--audience <aud>', 'audience for the ID token, usually your Cloud Run URL')
		.option('--scopes <scopes>', 'comma-separated OAuth scopes for the access token', list)
		.option('--demo', 'run against the built-in emulator: no Google account needed')
		.addOption(clipboardOption())
		.addOption(clearClipboardOption())
		.action(async (flags: SourceFlags & {audience?: string; scopes?: string[]; demo?: boolean; clipboard: 'auto' | 'osc52' | 'system'; clearClipboard?: number}) => {
			const {runTui} = await import('./app/tui.js');
			const chosen = flags.source ?? flags.keyFile ?? flags.impersonateServiceAccount;
			process.exitCode = await runTui({
				source: chosen ? sourceOptions(flags, 'adc') : undefined,
				audience: flags.audience,
				scopes: flags.scopes,
				demo: flags.demo ?? false,
				clipboard: flags.clipboard,
				clearClipboardSeconds: flags.clearClipboard,
			});
		});

	addSourceFlags(root.command('print-access-token').description('print an access token and a newline, as gcloud auth print-access-token does'))
		.option('--scopes <scopes>', 'comma-separated OAuth scopes', list)
		.option('--copy', 'copy the token instead of printing it')
		.addOption(clipboardOption())
		.addOption(clearClipboardOption().implies({copy: true}))
		.addOption(debugOption())
		.action(async (flags: SourceFlags & {scopes?: string[]; copy?: boolean; clipboard: 'auto' | 'osc52' | 'system'; clearClipboard?: number}) => {
			const {printAccessToken} = await import('./commands/print.js');
			process.exitCode = await printAccessToken({
				source: sourceOptions(flags, 'adc'),
				scopes: flags.scopes,
				copy: flags.copy ?? false,
				clipboard: flags.clipboard,
				clearClipboardSeconds: flags.clearClipboard,
			});
		});

	addSourceFlags(root.command('print-identity-token').description('print an ID token and a newline, as gcloud auth print-identity-token does'))
		.requiredOption('--audiences <aud>', 'the audience the token is for, usually the URL of your Cloud Run service')
		.option('--include-email', 'include the email and email_verified claims')
		.addOption(new Option('--token-format <format>', 'metadata server token format').choices(['standard', 'full']).default('standard'))
		.option('--include-license', 'include license codes (metadata server, --token-format full)')
		.option('--copy', 'copy the token instead of printing it')
		.addOption(clipboardOption())
		.addOption(clearClipboardOption().implies({copy: true}))
		.addOption(debugOption())
		.action(
			async (
				flags: SourceFlags & {
					audiences: string;
					includeEmail?: boolean;
					tokenFormat: 'standard' | 'full';
					includeLicense?: boolean;
					copy?: boolean;
					clipboard: 'auto' | 'osc52' | 'system';
					clearClipboard?: number;
				},
			) => {
				const {printIdentityToken} = await import('./commands/print.js');
				process.exitCode = await printIdentityToken({
					source: sourceOptions(flags, 'adc'),
					audience: flags.audiences,
					includeEmail: flags.includeEmail ?? false,
					format: flags.tokenFormat,
					includeLicenses: flags.includeLicense ?? false,
					copy: flags.copy ?? false,
					clipboard: flags.clipboard,
					clearClipboardSeconds: flags.clearClipboard,
				});
			},
		);

	root
		.command('inspect')
		.description('decode, explain and verify a token (argument, or - / piped stdin)')
		.argument('[token]', 'the token, or - to read it from stdin')
		.option('--json', 'print {kind, header, claims, issuedAt, expiresAt, verification} as JSON')
		.option('--no-verify', 'decode only; do not check the signature')
		.option('--jwks-uri <url>', 'verify against this JWKS instead of the issuer’s')
		.option('--key <file>', 'verify against this key: PEM, JWK or JWKS')
		.option('--secret <secret>', 'shared secret for HS256/384/512 tokens')
		.option('--tokeninfo', 'also ask Google’s tokeninfo endpoint (sends the token to Google)')
		.addOption(debugOption())
		.addHelpText(
			'after',
			'\nExit status: 0 when the token decodes and is not proven invalid (valid, or unverified with the reason shown),\n1 when its signature or times make it invalid, or when the input is not a token.',
		)
		.action(async (token: string | undefined, flags: {json?: boolean; verify: boolean; jwksUri?: string; key?: string; secret?: string; tokeninfo?: boolean}) => {
			const {inspect} = await import('./commands/inspect.js');
			process.exitCode = await inspect({
				token,
				json: flags.json ?? false,
				verify: flags.verify,
				jwksUri: flags.jwksUri,
				keyFile: flags.key,
				secret: flags.secret,
				tokeninfo: flags.tokeninfo ?? false,
			});
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
		.action(async (flags: {port?: string; lifetime?: number; fail: string[]}) => {
			const {runEmulator} = await import('./commands/emulator.js');
			process.exitCode = await runEmulator({port: flags.port, lifetimeSeconds: flags.lifetime, fail: flags.fail});
		});

	root
		.command('clear-clipboard', {hidden: true})
		.description('(internal) read copied text on stdin; clear the clipboard after SECONDS if it still holds it')
		.argument('<seconds>', 'delay', seconds)
		.action(async (delay: number) => {
			const {clearWhenDue} = await import('./clipboard/clear-later.js');
			process.exitCode = await clearWhenDue(delay);
		});

	return root;
}

/** The one place errors meet the user: one sentence (plus a hint), never a stack trace. */
function report(error: unknown): number {
	if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
	if (error instanceof TokscopeError) {
		process.stderr.write(`tokscope: ${terminalSafe(error.message)}\n${error.hint ? `  ${terminalSafe(error.hint)}\n` : ''}`);
		return 1;
	}
	const message = error instanceof Error ? error.message : String(error);
	process.stderr.write(`tokscope: unexpected error: ${terminalSafe(redactSecrets(message.split('\n')[0] ?? ''))}\n`);
	return 1;
}

try {
	await program().parseAsync(process.argv);
} catch (error) {
	process.exitCode = report(error);
}
// A request the library still retries in the background (a stalled metadata server) must not keep a finished command alive.
process.exit();
