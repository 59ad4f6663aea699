import {describe, expect, it} from 'vitest';
import {firstChoice} from '../../src/clipboard/choose.js';

const ssh = {SSH_CONNECTION: '10.0.0.1 50000 10.0.0.2 22', SSH_CLIENT: '10.0.0.1 50000 22', SSH_TTY: '/dev/pts/1'};

describe('choosing the way to the user', () => {
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
		expect(firstChoice('auto', {TERM: 'xterm-256color'}, 'linux')).toBe('osc52');
		expect(firstChoice('auto', {WSL_DISTRO_NAME: 'Ubuntu'}, 'linux')).toBe('system');
	});
});
