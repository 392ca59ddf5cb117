"""Single sign-on through a real OpenID Connect provider running on this machine."""

import html

from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client

from conftest import PASSWORD, World, make_user
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, membership_set_active
from pilotti.sso.models import SingleSignOn
from pilotti.sso.tests.conftest import Provider


def test_it_signs_a_member_in_without_asking_for_pilottis_second_factor(
    world: World, oidc_provider: Provider, alfa_sso: SingleSignOn
) -> None:
    client = Client()
    response = oidc_provider.sign_in(client, world.owner.email)
    # Straight in: no TOTP prompt, although the account has TOTP.
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user == world.owner
    assert world.org.name in home.text
    # The provider's account is pinned to the staff account, and its owner is told.
    assert SocialAccount.objects.filter(user=world.owner, provider="org-alfa").count() == 1
    assert [message.to for message in mail.outbox] == [[world.owner.email]]


def test_it_signs_in_again_through_the_pinned_account(
    world: World, oidc_provider: Provider, alfa_sso: SingleSignOn
) -> None:
    oidc_provider.sign_in(Client(), world.owner.email)
    again = Client()
    assert oidc_provider.sign_in(again, world.owner.email)["Location"] == "/"
    assert again.get("/").status_code == 200
    assert SocialAccount.objects.filter(user=world.owner).count() == 1


def test_it_does_not_send_a_member_without_mfa_to_set_it_up_but_a_later_password_sign_in_does(
    world: World, oidc_provider: Provider, alfa_sso: SingleSignOn
) -> None:
    user = make_user("nomfa@alfa.example", with_mfa=False)
    membership_add(organisation=world.org, user=user, role=Role.FACILITATOR)
    client = Client()
    assert oidc_provider.sign_in(client, user.email)["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/meetings/mine/").status_code == 200
    client.post("/accounts/logout/")
    assert client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"


def test_it_asks_for_the_second_factor_at_a_password_sign_in_after_single_sign_on(
    world: World, oidc_provider: Provider, alfa_sso: SingleSignOn
) -> None:
    client = Client()
    oidc_provider.sign_in(client, world.owner.email)
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"


def test_it_refuses_someone_without_an_account(world: World, oidc_provider: Provider, alfa_sso: SingleSignOn) -> None:
    client = Client()
    response = oidc_provider.sign_in(client, "stranger@alfa.example")
    assert response.status_code == 403
    assert "stranger@alfa.example has no active staff account in Alfa hyvinvointialue" in response.text
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert not SocialAccount.objects.exists()


def test_it_refuses_a_member_of_another_organisation(
    world: World, oidc_provider: Provider, alfa_sso: SingleSignOn
) -> None:
    # An account exists, but only in Beeta: Alfa's provider does not open Pilotti to it.
    user = make_user("stranger@alfa.example")
    membership_add(organisation=world.other_org, user=user, role=Role.COORDINATOR)
    response = oidc_provider.sign_in(Client(), user.email)
    assert response.status_code == 403
    assert "has no active staff account in Alfa hyvinvointialue" in response.text


def test_it_refuses_a_deactivated_member(world: World, oidc_provider: Provider, alfa_sso: SingleSignOn) -> None:
    membership_set_active(actor=world.owner, membership=world.membership(world.coordinator), active=False)
    client = Client()
    response = oidc_provider.sign_in(client, world.coordinator.email)
    assert response.status_code == 403
    assert "coordinator@alfa.example has no active staff account" in response.text
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_it_refuses_a_pinned_account_after_deactivation(
    world: World, oidc_provider: Provider, alfa_sso: SingleSignOn
) -> None:
    oidc_provider.sign_in(Client(), world.coordinator.email)
    membership_set_active(actor=world.owner, membership=world.membership(world.coordinator), active=False)
    assert oidc_provider.sign_in(Client(), world.coordinator.email).status_code == 403


def test_it_refuses_an_address_outside_the_allowed_domains(
    world: World, oidc_provider: Provider, alfa_sso: SingleSignOn
) -> None:
    alfa_sso.email_domains = ["alfa.example"]
    alfa_sso.save()
    client = Client()
    start = client.post("/sign-in/organisation/", {"email": "someone@elsewhere.example"})
    assert start.status_code == 400
    assert "No organisation signs in addresses at elsewhere.example" in start.text


def test_it_explains_a_wrong_client_secret(world: World, oidc_provider: Provider, alfa_sso: SingleSignOn) -> None:
    alfa_sso.client_secret = "not the secret"
    alfa_sso.save()
    client = Client()
    response = oidc_provider.sign_in(client, world.owner.email)
    assert response.status_code == 400
    assert "did not accept Pilotti's client ID or client secret" in html.unescape(response.text)
    assert "Alfa hyvinvointialue" in response.text
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_it_explains_an_unreachable_provider(world: World, alfa_sso: SingleSignOn) -> None:
    alfa_sso.server_url = "http://127.0.0.1:9"  # the discard port: nothing answers
    alfa_sso.save()
    response = Client().post("/sign-in/organisation/", {"email": world.owner.email})
    assert response.status_code == 502
    assert "could not reach your organisation's sign-in service" in html.unescape(response.text)
