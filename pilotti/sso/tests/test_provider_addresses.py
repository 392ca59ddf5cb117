"""The server fetches an organisation's sign-in service only at public addresses (issue 19,
finding 6). The attack: an organisation admin enters an internal address as the issuer, and
an anonymous sign-in then makes the server fetch it; an error there was a 500."""

import html
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import World, reauthenticated
from pilotti.sso.models import SingleSignOn
from pilotti.sso.services import single_sign_on_save
from pilotti.sso.tests.conftest import Provider

INTERNAL = [
    "https://127.0.0.1/",
    "https://localhost/",
    "https://[::1]/",
    "https://169.254.169.254/latest/meta-data",  # cloud metadata
    "https://10.0.0.5/",
    "https://192.168.1.1/",
    "https://[fd00::1]/",
]


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A port on 127.0.0.1 that would see any connection the server made to it."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        yield server


def was_contacted(server: socket.socket) -> bool:
    try:
        connection, _address = server.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def save(world: World, url: str) -> SingleSignOn:
    return single_sign_on_save(
        actor=world.owner,
        organisation=world.org,
        is_enabled=True,
        server_url=url,
        client_id="a",
        client_secret="s",
        email_domains=["alfa.example"],
        trust_emails_without_verified_claim=False,
    )


@pytest.mark.parametrize("url", INTERNAL)
def test_it_refuses_to_save_an_issuer_inside_a_private_network(world: World, settings: Any, url: str) -> None:
    settings.SSO_ALLOW_LOOPBACK_HTTP = False
    with pytest.raises(ValidationError, match="inside a private network"):
        save(world, url)


def test_it_never_connects_to_a_refused_address(world: World, settings: Any, listener: socket.socket) -> None:
    settings.SSO_ALLOW_LOOPBACK_HTTP = False
    port = listener.getsockname()[1]
    client = reauthenticated(world.owner)
    form = {"server_url": f"https://127.0.0.1:{port}", "client_id": "a", "client_secret": "s"}
    response = client.post("/organisation/sign-in/", {**form, "email_domains": "alfa.example"})
    assert "inside a private network" in response.text
    response = client.post("/organisation/sign-in/", {**form, "server_url": f"http://127.0.0.1:{port}"})
    assert "The issuer URL must start with https://." in response.text
    assert not was_contacted(listener)


def test_it_refuses_at_sign_in_an_internal_issuer_saved_before_the_check(
    world: World, settings: Any, listener: socket.socket
) -> None:
    settings.SSO_ALLOW_LOOPBACK_HTTP = False
    SingleSignOn.objects.create(
        organisation=world.org,
        is_enabled=True,
        server_url=f"https://127.0.0.1:{listener.getsockname()[1]}",
        client_id="a",
        client_secret="s",
        email_domains=["alfa.example"],
    )
    response = Client().post("/accounts/oidc/org-alfa/login/", {"process": "login"})
    assert response.status_code == 502
    assert "could not reach your organisation's sign-in service" in html.unescape(response.text)
    assert not was_contacted(listener)


def test_it_checks_the_discovery_document_when_saving(world: World, oidc_provider: Provider) -> None:
    with pytest.raises(ValidationError, match="could not read an OpenID Connect discovery document"):
        save(world, f"{oidc_provider.url}/not-the-issuer")
    assert save(world, f"{oidc_provider.url}/").server_url == oidc_provider.url


def test_it_answers_502_not_500_when_the_provider_answers_with_an_error(
    world: World, oidc_provider: Provider, alfa_sso: SingleSignOn
) -> None:
    alfa_sso.server_url = f"{oidc_provider.url}/not-the-issuer"  # its discovery document is a 404
    alfa_sso.save()
    response = Client().post("/sign-in/organisation/", {"email": world.owner.email})
    assert response.status_code == 502
    assert "could not reach your organisation's sign-in service" in html.unescape(response.text)
