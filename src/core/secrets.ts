// Every secret the process holds (the tokens it minted or was given, refresh tokens, client secrets, private keys,
// subject tokens, signed assertions), so text leaving it is redacted by value: a server's error that echoes the
// caller's token reversed, cut in two, inside a URL or percent-encoded is caught though no pattern knows its shape.
// Bounded: the newest `maxHeld` secrets, each at most `maxSecretChars` long.

const maxHeld = 64;
const maxSecretChars = 64 * 1024;
/** Shorter values are not secret enough to hunt for everywhere: they would redact ordinary words. */
const shortest = 16;
/** A run of text that shares this many characters in a row with a secret is taken for (part of) that secret. */
const shared = 12;

const held: string[] = [];

/** Remembers a secret where it enters the process; anything that is no string, or too short to matter, is ignored. */
export function rememberSecret(value: unknown): void {
	if (typeof value !== 'string') return;
	const secret = value.trim().slice(0, maxSecretChars);
	if (secret.length < shortest) return;
	const known = held.indexOf(secret);
	if (known !== -1) held.splice(known, 1);
	held.push(secret);
	if (held.length > maxHeld) held.shift();
}

/**
 * A PEM private key by its body: the base64 lines, joined, without the first line (its ASN.1 preamble is the same in
 * every key of a kind, and a public key shares part of it).
 */
export function rememberPrivateKey(pem: unknown): void {
	if (typeof pem !== 'string') return;
	const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
	rememberSecret(body.slice(64));
}

/** How many secrets are held: for tests, and to skip work when there are none. */
export function heldSecretCount(): number {
	return held.length;
}

/** Forgets every secret: for tests that need a process with none. */
export function forgetSecrets(): void {
	held.length = 0;
}

/**
 * Characters a token, a key's base64 or its percent-encoding is made of: a run of them is checked as one piece. It does
 * not end in a full stop, which is the sentence's (a token that ends in one is caught by its whole value).
 */
const tokenRun = /[A-Za-z0-9._~+/%-]{11,}[A-Za-z0-9_~+/%-]/g;

/**
 * Replaces every held secret in `text` with [redacted]: the value itself wherever it stands, and any run of token
 * characters sharing `shared` characters in a row with one (its halves swapped, a piece of it, its percent-encoding).
 */
export function redactHeldSecrets(text: string): string {
	if (held.length === 0) return text;
	let result = text;
	for (const secret of held) if (result.includes(secret)) result = result.split(secret).join('[redacted]');
	return result.replace(tokenRun, run => (sharesPieceOfSecret(run) ? '[redacted]' : run));
}

/** Windows of `shared` characters every `shared / 2`: any common stretch of 17 or more characters meets one whole. */
function sharesPieceOfSecret(run: string): boolean {
	const step = shared / 2;
	for (let start = 0; start + shared <= run.length; start += step) {
		const piece = run.slice(start, start + shared);
		if (held.some(secret => secret.includes(piece))) return true;
	}
	const last = run.slice(-shared);
	return held.some(secret => secret.includes(last));
}
