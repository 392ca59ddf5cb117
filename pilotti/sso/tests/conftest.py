"""A real OpenID Connect provider (tests/oidc_provider) for the whole test session.

The provider runs as its own process on a free port of 127.0.0.1. If it cannot start, the tests
fail: single sign-on must be proven against a real provider, never skipped.
"""

import json
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from conftest import World
from pilotti.organisations.models import Organisation
from pilotti.sso.models import EmailDomain, SingleSignOn

ROOT = Path(__file__).resolve().parents[3]
CLIENT_ID = "pilotti-alfa"
CLIENT_SECRET = "a client secret only the provider and Pilotti know"
PROVIDER_PASSWORD = "provider password"
# People at the provider: the address is the provider's username.
PROVIDER_USERS = [
    "admin@alfa.example",  # the world's organisation admin
    "coordinator@alfa.example",
    "stranger@alfa.example",  # no Pilotti account
    "nomfa@alfa.example",  # a member without Pilotti's own second factor
]


@dataclass
class Provider:
    url: str  # the issuer

    def sign_in(self, client: Client, email: str, *, password: str = PROVIDER_PASSWORD) -> HttpResponse:
        """Starts at Pilotti's sign-in page, signs in at the provider as a browser would, and
        returns Pilotti's answer to the provider's redirect back."""
        return self._follow(client, client.post("/sign-in/organisation/", {"email": email}), email, password)

    def sign_in_at(self, client: Client, provider_id: str, email: str) -> HttpResponse:
        """As ``sign_in``, but starting at allauth's own start page of the provider, which does not
        ask which organisation holds the address's domain."""
        start = client.post(f"/accounts/oidc/{provider_id}/login/", {"process": "login"})
        return self._follow(client, start, email, PROVIDER_PASSWORD)

    def _follow(self, client: Client, start: HttpResponse, email: str, password: str) -> HttpResponse:
        assert start.status_code == 302, start.content
        browser = requests.Session()
        to_provider = browser.get(start["Location"], allow_redirects=False, timeout=10)
        login_url = urljoin(start["Location"], to_provider.headers["Location"])
        browser.get(login_url, timeout=10)
        signed_in = browser.post(
            login_url,
            data={
                "username": email,
                "password": password,
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
                "next": parse_qs(urlsplit(login_url).query)["next"][0],
            },
            headers={"Referer": login_url},
            allow_redirects=False,
            timeout=10,
        )
        assert signed_in.status_code == 302, signed_in.text
        back = browser.get(urljoin(login_url, signed_in.headers["Location"]), allow_redirects=False, timeout=10)
        assert back.status_code == 302, back.text
        callback = urlsplit(back.headers["Location"])
        assert callback.netloc == "testserver", back.headers["Location"]
        response: HttpResponse = client.get(f"{callback.path}?{callback.query}")
        return response


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    setup = {
        "users": [{"username": email, "password": PROVIDER_PASSWORD, "email": email} for email in PROVIDER_USERS],
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": ["http://testserver/accounts/oidc/org-alfa/login/callback/"],
            }
        ],
    }
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "tests.oidc_provider.serve", json.dumps(setup)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 90
        line = ""
        while (left := deadline - time.monotonic()) > 0:
            # select, so that a provider hanging without a word cannot hang the test run.
            if not select.select([process.stdout], [], [], left)[0]:
                break
            line = process.stdout.readline()
            if line.startswith("READY ") or not line:
                break
        if not line.startswith("READY "):
            rest = process.stdout.read() if process.poll() is not None else ""
            pytest.fail(f"The test OpenID Connect provider did not start: {line}{rest}")
        yield Provider(url=f"{line.split()[1]}/o")
    finally:
        process.kill()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def prove_domain(organisation: Organisation, domain: str) -> EmailDomain:
    """The organisation's claim to the domain, proven (as ``manage.py verify_email_domains`` would)."""
    return EmailDomain.objects.create(
        organisation=organisation, domain=domain, proven_at=timezone.now(), proof=EmailDomain.Proof.DNS
    )


@pytest.fixture
def alfa_sso(world: World, oidc_provider: Provider) -> SingleSignOn:
    prove_domain(world.org, "alfa.example")
    return SingleSignOn.objects.create(
        organisation=world.org,
        is_enabled=True,
        server_url=oidc_provider.url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        email_domains=["alfa.example"],
    )
