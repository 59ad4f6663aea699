// What a token a source just received says about itself (not verified: only to know when it expires and whom it names),
// read by core's decoder; loaded only when a token needs reading, so access-token grabs do not pay for jose.

async function claimsOf(token: string): Promise<{expiresAt: Date | null; claims: Record<string, unknown> | null} | undefined> {
	const {decodeToken} = await import('../core/decode.js');
	try {
		return decodeToken(token);
	} catch {
		return undefined;
	}
}

export async function jwtExpiry(token: string): Promise<Date | undefined> {
	return (await claimsOf(token))?.expiresAt ?? undefined;
}

export async function jwtClaim(token: string, name: string): Promise<unknown> {
	return (await claimsOf(token))?.claims?.[name];
}
