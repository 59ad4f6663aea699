// What an audience string says about the service it is for, before any token is minted: the mistakes that later
// come back as a 401 from Cloud Run or IAP. Pure; the live view keeps these on screen, doctor reports them.

const iapClientId = /^\d+-[a-z0-9]+\.apps\.googleusercontent\.com$/;

/** Plain sentences about an audience that will probably be rejected; [] when it looks right. */
export function audienceWarnings(audience: string): string[] {
	const value = audience.trim();
	if (!value) return [];
	if (value !== audience) return ['The audience has spaces around it: the token’s aud will carry them, and no service will match it.'];
	if (iapClientId.test(value)) return [];
	if (/^https:\/\/www\.googleapis\.com\/auth\//.test(value)) {
		return ['This is an OAuth scope, not an audience: scopes belong to access tokens; an ID token’s audience is the URL of the service.'];
	}
	if (value.startsWith('//iam.googleapis.com/')) {
		return ['This is a workload identity pool provider, the audience of a federation config, not of the service you call.'];
	}
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return ['This is not a URL; Cloud Run and Cloud Functions expect the service URL (https://…), IAP its OAuth client id.'];
	}
	const warnings: string[] = [];
	const cloudRun = /\.run\.app$/.test(url.hostname);
	if (url.protocol === 'http:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
		warnings.push('The audience starts with http://: Google’s services are called over https://, and the audience must match exactly.');
	}
	if (cloudRun && url.pathname !== '/' && url.pathname !== '') {
		warnings.push(`Cloud Run accepts the service URL alone as the audience: ${url.origin}, without the path ${url.pathname}.`);
	}
	if (url.search || url.hash) warnings.push('The audience has a query or fragment: services compare it with their URL and will not match.');
	if (/\.googleapis\.com$/.test(url.hostname)) {
		warnings.push(`${url.hostname} is a Google API: it wants an access token (the other tab), not an ID token.`);
	}
	return warnings;
}
