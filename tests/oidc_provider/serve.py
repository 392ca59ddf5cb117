"""Starts the test OpenID Connect provider: ``python -m tests.oidc_provider.serve SETUP_JSON``.

SETUP_JSON: {"users": [{"username", "password", "email", "last_name"?}],
             "clients": [{"client_id", "client_secret", "redirect_uris"}]}.
A fresh RSA key and SQLite file each run. Prints ``READY <base url>`` once it listens on a free
port of 127.0.0.1, then serves until killed.
"""

import json
import os
import secrets
import sys
import tempfile
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    setup = json.loads(sys.argv[1])
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["OIDC_PROVIDER_RSA_KEY"] = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    os.environ["OIDC_PROVIDER_SECRET_KEY"] = secrets.token_urlsafe(32)
    os.environ["OIDC_PROVIDER_DB"] = os.path.join(tempfile.mkdtemp(prefix="oidc-provider-"), "db.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for user in setup["users"]:
        User.objects.create_user(
            username=user["username"],
            password=user["password"],
            email=user["email"],
            last_name=user.get("last_name", ""),
            first_name=user.get("name", ""),
        )
    for client in setup["clients"]:
        Application.objects.create(
            name=client["client_id"],
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(client["redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
    server = make_server("127.0.0.1", 0, WSGIHandler(), server_class=ThreadingServer, handler_class=QuietHandler)
    print(f"READY http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
