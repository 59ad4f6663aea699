// The peer tokscope's print-access-token is measured against (npm run bench): the least a script can do with
// google-auth-library to get a token from the metadata server (GCE_METADATA_HOST points it at the emulator).
import {Compute} from 'google-auth-library';

const {token} = await new Compute().getAccessToken();
process.stdout.write(`${token}\n`);
