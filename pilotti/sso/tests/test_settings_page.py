"""The organisation admin's single sign-on settings page."""

from typing import Any

from django.db import connection
from django.test import Client

from conftest import World, reauthenticated, signed_in
from pilotti.sso.models import SingleSignOn
from pilotti.sso.tests.conftest import Provider, prove_domain

FORM = {
    "is_enabled": "on",
    "server_url": "https://login.microsoftonline.com/tenant/v2.0",  # for the tests that never fetch it
    "client_id": "abc-123",
    "client_secret": "the secret from Entra",
    "email_domains": "alfa.example, @Pirha.fi",
}


def test_it_saves_the_settings_with_the_secret_encrypted(world: World, oidc_provider: Provider) -> None:
    client = reauthenticated(world.owner)
    page = client.get("/organisation/sign-in/")
    assert page.status_code == 200
    assert "http://testserver/accounts/oidc/org-alfa/login/callback/" in page.text
    form = {**FORM, "server_url": oidc_provider.url}
    response = client.post("/organisation/sign-in/", form)
    assert response.status_code == 302
    sso = SingleSignOn.objects.get(organisation=world.org)
    assert sso.client_secret == "the secret from Entra"
    assert sso.email_domains == ["alfa.example", "pirha.fi"]
    assert sso.updated_by == world.owner
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_secret FROM sso_singlesignon")
        stored = cursor.fetchone()[0]
    assert "the secret from Entra" not in stored
    # The secret is never shown back; an empty field keeps it.
    assert "the secret from Entra" not in client.get("/organisation/sign-in/").text
    assert client.post("/organisation/sign-in/", {**form, "client_secret": ""}).status_code == 302
    sso.refresh_from_db()
    assert sso.client_secret == "the secret from Entra"


def test_it_rejects_bad_input_and_keeps_what_was_typed(world: World, settings: Any) -> None:
    settings.SSO_ALLOW_LOOPBACK_HTTP = False
    prove_domain(world.other_org, "beeta.example")
    SingleSignOn.objects.create(
        organisation=world.other_org,
        server_url="https://idp.beeta.example",
        client_id="b",
        client_secret="s",
        email_domains=["beeta.example"],
    )
    client = reauthenticated(world.owner)
    response = client.post(
        "/organisation/sign-in/",
        {
            **FORM,
            "server_url": "http://idp.alfa.example",
            "email_domains": "beeta.example, not a domain!",
            "client_secret": "",
        },
    )
    assert response.status_code == 400
    assert "Not an e-mail domain: not, a, domain!" in response.text
    assert 'value="abc-123"' in response.text
    response = client.post(
        "/organisation/sign-in/", {**FORM, "server_url": "http://idp.alfa.example", "email_domains": "beeta.example"}
    )
    assert "The issuer URL must start with https://." in response.text
    assert "Another organisation already signs in addresses at beeta.example." in response.text
    response = client.post("/organisation/sign-in/", {**FORM, "client_secret": ""})
    assert "Enter the client secret your provider gave Pilotti." in response.text
    assert not SingleSignOn.objects.filter(organisation=world.org).exists()


def test_it_asks_the_admin_to_reauthenticate(world: World) -> None:
    response = signed_in(world.owner).get("/organisation/sign-in/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_it_is_only_for_the_organisations_admins(world: World) -> None:
    for user in (world.coordinator, world.facilitator, world.evaluator):
        assert signed_in(user).get("/organisation/sign-in/").status_code == 404
        assert signed_in(user).post("/organisation/sign-in/", FORM).status_code == 404
    assert not SingleSignOn.objects.exists()


def test_it_offers_the_organisation_sign_in_only_when_an_organisation_has_one(world: World) -> None:
    assert "Sign in with your organisation" not in Client().get("/accounts/login/").text
    SingleSignOn.objects.create(
        organisation=world.org,
        is_enabled=True,
        server_url="https://idp.alfa.example",
        client_id="a",
        client_secret="s",
        email_domains=["alfa.example"],
    )
    assert "Sign in with your organisation" in Client().get("/accounts/login/").text


def test_it_refuses_the_provider_views_to_signed_in_visitors(world: World) -> None:
    SingleSignOn.objects.create(
        organisation=world.org,
        is_enabled=True,
        server_url="https://idp.alfa.example",
        client_id="a",
        client_secret="s",
        email_domains=["alfa.example"],
    )
    assert Client().get("/accounts/oidc/org-alfa/login/").status_code == 200
    member = signed_in(world.owner)
    assert member.get("/accounts/oidc/org-alfa/login/").status_code == 404
    assert member.post("/accounts/oidc/org-alfa/login/").status_code == 404
    assert member.get("/accounts/3rdparty/").status_code == 200
