import {createPublicKey, randomBytes, sign, type KeyObject} from 'node:crypto';

// Google publishes its ID-token keys twice: as a JWKS (/oauth2/v3/certs) and as PEM X.509 certificates keyed by
// kid (/oauth2/v1/certs), the form Python's google-auth verifies with by default. Node can sign but not build a
// certificate, so this writes the few DER structures a self-signed RSA certificate needs (RFC 5280 §4.1).

const sha256WithRsa = '1.2.840.113549.1.1.11';
const commonName = '2.5.4.3';

/** A PEM self-signed certificate for the RSA private key, valid from a day ago for a year. */
export function selfSignedCertificatePem(privateKey: KeyObject, subject: string, now = new Date()): string {
	const publicKey = createPublicKey(privateKey).export({type: 'spki', format: 'der'});
	const name = sequence(set(sequence(oid(commonName), utf8(subject))));
	const algorithm = sequence(oid(sha256WithRsa), tlv(0x05, Buffer.alloc(0)));
	const day = 24 * 60 * 60 * 1000;
	const tbs = sequence(
		tlv(0xa0, integer(Buffer.from([2]))), // [0] version: v3
		integer(serialNumber()),
		algorithm,
		name,
		sequence(utcTime(new Date(now.getTime() - day)), utcTime(new Date(now.getTime() + 365 * day))),
		name,
		publicKey,
	);
	const signature = sign('sha256', tbs, privateKey);
	const der = sequence(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
	const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
	return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function tlv(tag: number, content: Buffer): Buffer {
	return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

function length(size: number): Buffer {
	if (size < 0x80) return Buffer.from([size]);
	const bytes: number[] = [];
	for (let rest = size; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
	return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function sequence(...items: Buffer[]): Buffer {
	return tlv(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
	return tlv(0x31, Buffer.concat(items));
}

/** A DER INTEGER from unsigned big-endian bytes (a leading zero keeps it positive). */
function integer(bytes: Buffer): Buffer {
	return tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function serialNumber(): Buffer {
	const bytes = randomBytes(16);
	bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive and without a leading zero byte
	return bytes;
}

function utf8(text: string): Buffer {
	return tlv(0x0c, Buffer.from(text, 'utf8'));
}

function utcTime(date: Date): Buffer {
	const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14);
	return tlv(0x17, Buffer.from(`${text}Z`, 'ascii'));
}

function oid(dotted: string): Buffer {
	const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
	const bytes = [first * 40 + second];
	for (const arc of rest) {
		const chunk = [arc & 0x7f];
		for (let value = arc >>> 7; value > 0; value >>>= 7) chunk.unshift((value & 0x7f) | 0x80);
		bytes.push(...chunk);
	}
	return tlv(0x06, Buffer.from(bytes));
}
