import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {maskToken, redactSecrets} from '../../src/core/redact.js';
import {fromVisible, hasHiddenCharacters, terminalSafe, terminalSafeJson, visibleOnce} from '../../src/core/terminal-safe.js';

// Controls, bidi overrides and isolates, zero-width characters, line separators, lone surrogates, and whatever Unicode
// calls default-ignorable (variation selectors, fillers) or a bidi control, and the braille blank.
const unsafe = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\u2800]/u;

describe('terminalSafe', () => {
	it('shows OSC 52 clipboard writes, screen clears, cursor moves and titles as escapes, their payload readable', () => {
		const hostile = 'ok\u001B]52;c;ZXZpbA==\u0007 \u001B[2J\u001B[H\u001B]0;pwned\u001B\\done\u009B31m!\r\nnext';
		expect(terminalSafe(hostile)).toBe(
			'ok\\u001b]52;c;ZXZpbA==\\u0007 \\u001b[2J\\u001b[H\\u001b]0;pwned\\u001b\\done\\u009b31m!\\u000d\\u000anext',
		);
		expect(terminalSafe(hostile, {newlines: true})).toContain('!\\u000d\nnext');
	});

	it('never drops what a hostile issuer hides: an escape in a URL, a zero-width space in an email, a bidi override', () => {
		expect(terminalSafe('https://x\u001B[2J.example')).toBe('https://x\\u001b[2J.example');
		expect(terminalSafe('alice\u200B@example.com')).toBe('alice\\u200b@example.com');
		expect(terminalSafe('invoice\u202Egpj.exe')).toBe('invoice\\u202egpj.exe');
		expect(terminalSafe('tag\u{E0041}')).toBe('tag\\u{e0041}');
		expect(hasHiddenCharacters('alice\u200B@example.com')).toBe(true);
		expect(hasHiddenCharacters('https://accounts.google.com')).toBe(false);
		expect(hasHiddenCharacters('a\nb', {newlines: true})).toBe(false);
	});

	it('escapes every default-ignorable code point and bidi control Unicode defines, not a list of our own', () => {
		const all = Array.from({length: 0x11_0000}, (_, code) => code).filter(code => code < 0xd800 || code > 0xdfff);
		const invisible = all.map(code => String.fromCodePoint(code)).filter(text => /[\p{DI}\p{Bidi_C}]/u.test(text));
		expect(invisible.length).toBeGreaterThan(4000);
		for (const character of invisible) {
			expect(hasHiddenCharacters(character)).toBe(true);
			expect(fromVisible(terminalSafe(character))).toBe(character);
			expect(terminalSafe(character)).toMatch(/^\\u/);
		}
		// The ones an attack used, one by one, and an issuer that reads as Google's.
		expect(terminalSafe('a\u034Fb\uFE0Fc\u{E0100}d\u2800e\u180Bf\u17B4g')).toBe('a\\u034fb\\ufe0fc\\u{e0100}d\\u2800e\\u180bf\\u17b4g');
		expect(terminalSafe('https://accounts.google.com\uFE0F')).toBe('https://accounts.google.com\\ufe0f');
	});

	it('writes JSON a terminal cannot act on, which parses back to the same data', () => {
		const data = {iss: 'https://accounts.google.com\uFE0F', name: 'invoice\u202Egpj.exe\u009B31m', tag: 'x\u{E0041}', lines: 'a\nb'};
		const text = terminalSafeJson(data, 2);
		expect(text.replaceAll('\n', '')).not.toMatch(unsafe);
		expect(text).toContain('"iss": "https://accounts.google.com\\ufe0f"');
		expect(text).toContain('\\udb40\\udc41');
		expect(JSON.parse(text)).toEqual(data);
		expect(terminalSafeJson({a: 'plain'})).toBe('{"a":"plain"}');
	});

	it('leaves ordinary text, and backslashes that cannot be read as an escape, as they are', () => {
		expect(terminalSafe('C:\\Windows\\system32 — naïve 東京 🎉')).toBe('C:\\Windows\\system32 — naïve 東京 🎉');
		expect(terminalSafe('\\u0041')).toBe('\\\\u0041');
		expect(fromVisible(terminalSafe('\\u0041'))).toBe('\\u0041');
	});

	const hostileText = fc.string({
		unit: fc.oneof(
			fc.constantFrom(
				'\u001B',
				'\u0007',
				'\u009B',
				'\u009D',
				'[',
				']',
				'\\',
				'u',
				'0',
				'{',
				'}',
				';',
				'P',
				'\n',
				'\r',
				'\t',
				'\u200B',
				'\u202E',
				'\u2028',
				'\uFEFF',
				'\uD800',
			),
			fc.string({unit: 'binary', maxLength: 1}),
		),
	});

	it('never lets a control or invisible character through, whatever the input', () => {
		fc.assert(
			fc.property(hostileText, text => {
				expect(terminalSafe(text)).not.toMatch(unsafe);
				expect(terminalSafe(text)).not.toMatch(/[\r\n]/);
				expect(terminalSafe(text, {newlines: true}).replaceAll('\n', '')).not.toMatch(unsafe);
			}),
			{numRuns: 3000},
		);
	});

	it('drops nothing: what is shown maps back to exactly the input', () => {
		fc.assert(
			fc.property(hostileText, text => {
				expect(fromVisible(terminalSafe(text))).toBe(text);
				expect(fromVisible(terminalSafe(text, {newlines: true}))).toBe(text);
				expect(hasHiddenCharacters(text)).toBe(unsafe.test(text));
			}),
			{numRuns: 3000},
		);
	});
});

describe('secrets', () => {
	it('masks a token to a short prefix, suffix and length', () => {
		const token = `ya29.${'x'.repeat(40)}SECRETMIDDLE${'y'.repeat(40)}`;
		const masked = maskToken(token);
		expect(masked).not.toContain('SECRETMIDDLE');
		expect(masked).toContain(`(${token.length} chars`);
	});

	it('redacts JWTs, access and refresh tokens and keys from free text', () => {
		const text = 'failed with ya29.a0AfH6SMabc123 and eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig and 1//0gAbcdefghijkl refresh_token=abc&x=1';
		const redacted = redactSecrets(text);
		expect(redacted).not.toMatch(/ya29\.a0|eyJhbGci|1\/\/0gA|=abc/);
		expect(redacted).toContain('refresh_token=[redacted]');
	});

	it('redacts a private key block and a JSON access_token field, keeping the words around them', () => {
		const text =
			'key {"private_key":"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n"} and ' +
			'{"access_token": "opaque-secret-value", "expires_in": 3599}';
		const redacted = redactSecrets(text);
		expect(redacted).not.toMatch(/MIIEvQ|opaque-secret-value/);
		expect(redacted).toContain('"expires_in": 3599');
		expect(redacted.startsWith('key {"private_key":"[redacted]')).toBe(true);
	});

	it('never leaves a Google access token or JWT readable in free text', () => {
		const body = fc.string({unit: fc.constantFrom(...'abcXYZ0189_-'.split('')), minLength: 12, maxLength: 80});
		fc.assert(
			fc.property(fc.string(), body, body, fc.string(), (before, a, b, after) => {
				const access = `ya29.${a}`;
				const jwt = `eyJhbGciOiJSUzI1NiJ9.${a}.${b}`;
				const redacted = redactSecrets(`${before} ${access} ${after} ${jwt}`);
				expect(redacted).not.toContain(access);
				expect(redacted).not.toContain(jwt);
			}),
			{numRuns: 500},
		);
	});

	it('masks a token whose last characters are an escape without letting them reach the terminal', () => {
		const masked = maskToken(`ya29.${'x'.repeat(40)}\u001B[8m`);
		expect(masked).not.toMatch(unsafe);
		expect(masked).toContain('\\u001b[8m');
	});

	it('masks even a short token without showing it', () => {
		expect(maskToken('ya29.secret')).toBe(`${'•'.repeat(11)} (11 chars)`);
	});
});

describe('visibleOnce: the edge’s net for a sentence already made safe where it quoted', () => {
	it('escapes what is still raw and leaves escapes as they are, so nothing is escaped twice', () => {
		const quoted = terminalSafe('x\u001b[2J\\u0007');
		expect(visibleOnce(`The server sent “${quoted}”.`)).toBe(`The server sent “${quoted}”.`);
		expect(visibleOnce('raw \u001b]52;c;x\u0007 and \u202e')).toBe('raw \\u001b]52;c;x\\u0007 and \\u202e');
		expect(visibleOnce(visibleOnce('a\u0085b'))).toBe('a\\u0085b');
	});
});
