// The peer tokscope is measured against: the least a script can do with google-auth-library to get a token.
import {Compute} from 'google-auth-library';

const {token} = await new Compute().getAccessToken();
process.stdout.write(`${token}\n`);
