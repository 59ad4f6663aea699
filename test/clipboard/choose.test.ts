import {describe, expect, it} from 'vitest';
import {firstChoice, isRemote, multiplexerOf, systemClipboardLikely} from '../../src/clipboard/choose.js';

const ssh = {SSH_CONNECTION: '10.0.0.1 50000 10.0.0.2 22', SSH_CLIENT: '10.0.0.1 50000 22', SSH_TTY: '/dev/pts/1'};

describe('choosing the way to the user', () => {
	it('sees an SSH session from any of the variables sshd sets', () => {
		expect(isRemote(ssh)).toBe(true);
		expect(isRemote({SSH_CONNECTION: ssh.SSH_CONNECTION})).toBe(true);
		expect(isRemote({SSH_TTY: '/dev/pts/1'})).toBe(true);
		expect(isRemote({SSH_CLIENT: ssh.SSH_CLIENT})).toBe(true);
		expect(isRemote({DISPLAY: ':0', TERM: 'xterm-256color'})).toBe(false);
	});

	it('uses OSC 52 over SSH and the system clipboard locally, unless the user forces a way', () => {
		expect(firstChoice('auto', {...ssh, DISPLAY: 'localhost:10.0'}, 'linux')).toBe('osc52');
		expect(firstChoice('auto', {SSH_TTY: '/dev/pts/1'}, 'darwin')).toBe('osc52');
		expect(firstChoice('auto', {}, 'darwin')).toBe('system');
		expect(firstChoice('auto', {}, 'win32')).toBe('system');
		expect(firstChoice('auto', {DISPLAY: ':0'}, 'linux')).toBe('system');
		expect(firstChoice('auto', {WAYLAND_DISPLAY: 'wayland-0'}, 'linux')).toBe('system');
		expect(firstChoice('osc52', {DISPLAY: ':0'}, 'linux')).toBe('osc52');
		expect(firstChoice('system', ssh, 'linux')).toBe('system');
	});

	it('goes straight to OSC 52 on a Linux box with no display, where no system clipboard can exist', () => {
		expect(systemClipboardLikely({}, 'linux')).toBe(false);
		expect(systemClipboardLikely({WSL_DISTRO_NAME: 'Ubuntu'}, 'linux')).toBe(true);
		expect(systemClipboardLikely({}, 'darwin')).toBe(true);
		expect(firstChoice('auto', {TERM: 'xterm-256color'}, 'linux')).toBe('osc52');
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
