import {describe, expect, it} from 'vitest';
import {hasDisplay, isRemote, multiplexerOf, remoteVariable} from '../../src/core/where.js';

// Where the user is: the clipboard and the sign-in both read these, so they cannot disagree.

const ssh = {SSH_CONNECTION: '10.0.0.1 50000 10.0.0.2 22', SSH_CLIENT: '10.0.0.1 50000 22', SSH_TTY: '/dev/pts/1'};

describe('where the user is', () => {
	it('sees an SSH session from any of the variables sshd sets', () => {
		expect(isRemote(ssh)).toBe(true);
		expect(isRemote({SSH_CONNECTION: ssh.SSH_CONNECTION})).toBe(true);
		expect(isRemote({SSH_TTY: '/dev/pts/1'})).toBe(true);
		expect(isRemote({SSH_CLIENT: ssh.SSH_CLIENT})).toBe(true);
		expect(isRemote({DISPLAY: ':0', TERM: 'xterm-256color'})).toBe(false);
	});

	it('names the variable that says so, for the sentence', () => {
		expect(remoteVariable(ssh)).toBe('SSH_CONNECTION');
		expect(remoteVariable({SSH_CLIENT: ssh.SSH_CLIENT})).toBe('SSH_CLIENT');
		expect(remoteVariable({})).toBeUndefined();
	});

	it('has a display on macOS and Windows, and on Linux with X11, Wayland or WSL', () => {
		expect(hasDisplay({}, 'linux')).toBe(false);
		expect(hasDisplay({DISPLAY: ':0'}, 'linux')).toBe(true);
		expect(hasDisplay({WAYLAND_DISPLAY: 'wayland-0'}, 'linux')).toBe(true);
		expect(hasDisplay({WSL_DISTRO_NAME: 'Ubuntu'}, 'linux')).toBe(true);
		expect(hasDisplay({}, 'darwin')).toBe(true);
		expect(hasDisplay({}, 'win32')).toBe(true);
	});

	it('wraps for tmux and screen when their own variables say we are inside them', () => {
		expect(multiplexerOf({TMUX: '/tmp/tmux-0/default,1,0', TERM: 'screen'})).toBe('tmux');
		expect(multiplexerOf({TMUX: '/tmp/tmux-0/default,1,0', ...ssh})).toBe('tmux');
		expect(multiplexerOf({STY: '123.pts-0.host'})).toBe('screen');
		expect(multiplexerOf({STY: '123.pts-0.host', ...ssh, TERM: 'screen'})).toBe('screen');
	});

	it('reads TERM when the variables are gone (sudo drops them)', () => {
		expect(multiplexerOf({TERM: 'screen-256color'})).toBe('screen');
		expect(multiplexerOf({TERM: 'tmux-256color'})).toBe('tmux');
		expect(multiplexerOf({TERM: 'xterm-256color'})).toBe('none');
		expect(multiplexerOf({})).toBe('none');
	});

	it('over SSH takes a screen TERM for tmux on the user’s machine, where screen’s chunks would cut the token', () => {
		expect(multiplexerOf({...ssh, TERM: 'screen-256color'})).toBe('tmux');
		expect(multiplexerOf({...ssh, TERM: 'tmux-256color'})).toBe('tmux');
		expect(multiplexerOf({...ssh, TERM: 'xterm-kitty'})).toBe('none');
	});
});
