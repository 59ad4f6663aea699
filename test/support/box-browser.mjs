// The user's browser inside the sealed box (run there with box.exec): it loads the authorization URL at
// accounts.google.com over HTTPS, submits the consent page, and either follows the redirect back to tokscope's loopback
// server (the browser on the same machine) or prints the address it ended on (the browser elsewhere, for paste-back).
//
// node box-browser.mjs URL allow|deny follow|print
import {consent, followBack} from './browser.ts';

const [url, decision, then] = process.argv.slice(2);
const location = await consent(url, decision);
if (then === 'print') {
	process.stdout.write(`${location}\n`);
} else {
	const back = await followBack(location);
	process.stdout.write(`${JSON.stringify(back)}\n`);
}
