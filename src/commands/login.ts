import {randomBytes} from 'node:crypto';
import {chmod, rename, rm, stat, writeFile} from 'node:fs/promises';
import {emitKeypressEvents} from 'node:readline';
import {createInterface} from 'node:readline';
import stringWidth from 'string-width';
import {firstColumns, lastColumns} from '../core/columns.js';
import {TokscopeError} from '../core/errors.js';
import {terminalSafe} from '../core/terminal-safe.js';
import type {SignInWay} from '../sources/login-browser.js';
import type {SignInFlow} from '../sources/login-flow.js';
import type {Terminal} from '../io/terminal.js';

// `tokscope login`: the sign-in on the command line. Everything for the person goes to stderr (the URL whole, on a line
// of its own); stdout gets the access token only when nothing is saved, so `$(tokscope login …)` still works.

export interface LoginOptions {
	clientSecret: string;
	scopes?: string[];
	way?: SignInWay;
	save?: string;
	force: boolean;
}

export async function login(options: LoginOptions, terminal: Terminal): Promise<number> {
	const {stderr} = terminal;
	// Refused before the browser opens, not after the user consented.
	if (options.save && !options.force && (await exists(options.save))) {
		throw new TokscopeError('file', `${options.save} already exists, so it was not replaced; pass --force to replace it.`);
	}
	const {startSignIn} = await import('../sources/login-flow.js');
	const flow = await startSignIn({clientSecret: options.clientSecret, scopes: options.scopes, way: options.way, env: terminal.env});
	for (const warning of flow.client.warnings) stderr.write(`tokscope: warning: ${terminalSafe(warning)}\n`);
	stderr.write(`Signing in with the OAuth client ${terminalSafe(flow.client.clientId)} (${terminalSafe(flow.client.path)}).\n`);
	stderr.write(
		flow.way === 'browser'
			? `Opening a browser (${flow.why}). If none opens, visit this address:\n\n`
			: `Open this address in a browser on any machine (paste-back, because ${flow.why}):\n\n`,
	);
	stderr.write(`${flow.url}\n\n`);
	stderr.write(
		flow.way === 'browser'
			? `Waiting for the browser to come back to ${flow.redirectUri} (or paste the address it ended on here).\n`
			: `Then copy the address your browser ends on (a page that does not load, ${flow.redirectUri}?code=…&state=…) ` +
					'and paste it here, or just the code.\n',
	);
	if (flow.way === 'paste' && stderr.isTTY) await offerCopy(flow.url, terminal.env, stderr);

	const {stop, say} = waitForAnswer(flow, terminal);
	void flow.browser.then(opened => {
		if (flow.way === 'browser' && !opened) say('No browser could be opened here: visit the address above yourself.');
	});
	let user;
	try {
		user = await flow.signedIn;
	} finally {
		stop();
	}
	const who = user.email ? `Signed in as ${terminalSafe(user.email)}` : 'Signed in';
	if (options.save) {
		await saveCredential(options.save, user.authorizedUserFile(), options.force);
		const saved = terminalSafe(options.save);
		stderr.write(
			`${who}. Saved an authorized_user credential to ${saved} (mode 0600): use it with GOOGLE_APPLICATION_CREDENTIALS=${saved}.\n`,
		);
		return 0;
	}
	const access = user.takeFirstAccessToken();
	stderr.write(`${who}. Nothing was written (pass --save PATH to keep the credential); the access token is on stdout.\n`);
	if (access) terminal.stdout.write(`${access.token}\n`);
	return 0;
}

/** OSC 52 reaches the clipboard of the machine the terminal runs on: over SSH, the user's own. */
async function offerCopy(url: string, env: NodeJS.ProcessEnv, stderr: NodeJS.WriteStream): Promise<void> {
	try {
		const {copyText} = await import('../clipboard/index.js');
		await copyText(url, {mode: 'osc52', env});
		stderr.write('(The address was also offered to your clipboard through OSC 52, if your terminal allows it.)\n');
	} catch {
		// Too long for OSC 52, or no terminal: the address is on screen anyway.
	}
}

/**
 * Reads the pasted answer and shows the countdown until the flow settles. On a terminal the line is read key by key
 * (Esc and Ctrl-C give up); piped, line by line. Returns what undoes it, and `say`, which puts a line above the prompt.
 */
function waitForAnswer(flow: SignInFlow, {stdin, stderr}: Terminal): {stop: () => void; say: (line: string) => void} {
	const onSignal = () => flow.cancel();
	process.on('SIGINT', onSignal);
	const cleanups: Array<() => void> = [() => process.off('SIGINT', onSignal)];
	const live = Boolean(stdin.isTTY && stderr.isTTY);
	let typed = '';
	let stopped = false;
	// The prompt is redrawn in place every second, so it must stay one row: a row that wraps leaves a line behind at
	// each redraw. It never takes the last column (some terminals wrap there), and what was typed shows its end.
	const draw = () => {
		if (!live || stopped) return;
		const left = Math.max(0, flow.deadline.getTime() - Date.now());
		const clock = `${Math.floor(left / 60_000)}:${String(Math.floor((left % 60_000) / 1000)).padStart(2, '0')}`;
		const status = flow.step() === 'exchanging' ? 'exchanging the code…' : `${clock} left · Esc or Ctrl-C gives up`;
		const room = Math.max(1, (stderr.columns || 80) - 1);
		const prompt = firstColumns(`[${status}] paste here: `, room);
		stderr.write(`\r\x1b[2K${prompt}${lastColumns(terminalSafe(typed), Math.max(0, room - stringWidth(prompt)))}`);
	};
	// A line of its own (an error, a note): written once above the prompt, never redrawn, so it may wrap.
	const say = (line: string) => {
		if (!live || stopped) return void stderr.write(`${line}\n`);
		stderr.write(`\r\x1b[2K${line}\n`);
		draw();
	};
	if (live) {
		emitKeypressEvents(stdin);
		stdin.setRawMode(true);
		const onKey = (text: string | undefined, key: {name?: string; ctrl?: boolean; sequence?: string} = {}) => {
			if (key.name === 'escape' || (key.ctrl && key.name === 'c')) flow.cancel();
			else if (key.name === 'return' || key.name === 'enter') {
				const problem = flow.answer(typed);
				if (problem) {
					typed = '';
					say(problem);
				}
			} else if (key.name === 'backspace') typed = typed.slice(0, -1);
			else if (key.ctrl && key.name === 'u') typed = '';
			else if (text && !key.ctrl && !/\p{Cc}/u.test(text)) typed += text;
			draw();
		};
		stdin.on('keypress', onKey);
		stdin.resume();
		const tick = setInterval(draw, 1000);
		const unsubscribe = flow.onStep(draw);
		draw();
		cleanups.push(() => {
			clearInterval(tick);
			unsubscribe();
			stdin.off('keypress', onKey);
			stdin.setRawMode(false);
			stdin.pause();
			stderr.write('\r\x1b[2K');
		});
	} else {
		stderr.write(`Waiting up to ${Math.round((flow.deadline.getTime() - Date.now()) / 60_000)} minutes.\n`);
		const lines = createInterface({input: stdin, terminal: false});
		lines.on('line', line => {
			if (!line.trim()) return;
			const said = flow.answer(line);
			if (said) say(said);
		});
		// A closed or empty stdin is no answer: the browser may still come back.
		lines.on('error', () => {});
		cleanups.push(() => {
			lines.close();
			stdin.pause();
		});
	}
	return {
		stop: () => {
			stopped = true;
			for (const cleanup of cleanups) cleanup();
		},
		say,
	};
}

async function exists(path: string): Promise<boolean> {
	return stat(path).then(
		() => true,
		(error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
	);
}

/** Mode 0600 from the first byte: a temporary file renamed into place (--force), or created only if absent. */
async function saveCredential(path: string, text: string, force: boolean): Promise<void> {
	const target = force ? `${path}.${randomBytes(6).toString('hex')}.tmp` : path;
	try {
		await writeFile(target, text, {mode: 0o600, flag: 'wx'});
		await chmod(target, 0o600);
		if (force) await rename(target, path);
	} catch (error) {
		if (force) await rm(target, {force: true});
		const code = (error as NodeJS.ErrnoException).code;
		const why =
			code === 'EEXIST'
				? `${path} already exists; pass --force to replace it`
				: code === 'ENOENT'
					? `the directory of ${path} does not exist`
					: code === 'EACCES' || code === 'EPERM'
						? `${path} may not be written here (permission denied)`
						: `${path} could not be written (${code ?? 'unknown error'})`;
		throw new TokscopeError('file', `Signed in, but ${why}; nothing was written.`);
	}
}
