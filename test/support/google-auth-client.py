"""Python's google-auth as an outside client of the sealed box (run there by test/sealed/clients.test.ts).

python3 google-auth-client.py default           the ADC chain on a VM: {"kind", "email", "project", "token"}
python3 google-auth-client.py verify AUDIENCE   an ID token on stdin, checked with Google's v1 certs: its claims

Written for Debian's python3-google-auth 1.5.1 (bookworm) and every later version: only APIs 1.5.1 already had.
"""
import json
import sys

import google.auth
import google.auth.transport.requests
from google.oauth2 import id_token

request = google.auth.transport.requests.Request()
command = sys.argv[1]
if command == 'default':
    credentials, project = google.auth.default()
    credentials.refresh(request)
    print(json.dumps({
        'kind': type(credentials).__module__ + '.' + type(credentials).__name__,
        'email': credentials.service_account_email,
        'project': project,
        'token': credentials.token,
    }))
elif command == 'verify':
    try:
        claims = id_token.verify_oauth2_token(sys.stdin.read().strip(), request, sys.argv[2])
    except ValueError as refused:
        print('refused: ' + str(refused))
        sys.exit(1)
    print(json.dumps(claims))
else:
    sys.exit('unknown command ' + command)
