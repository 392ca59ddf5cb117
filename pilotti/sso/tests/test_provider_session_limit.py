"""A session that Alfa's own sign-in service made is limited to Alfa (issue 19, finding 1).

The attack: Alfa's admin controls Alfa's provider, so they can sign in there as anyone whose
address is in Alfa's domains, e.g. a coordinator who also coordinates in Beeta, and then read
Beeta's clients. Before the fix the provider's session was a full session in every organisation
of the person: Beeta's participant page answered 200 with the contact details.
"""

import time

import pyotp
import time_machine
from django.test import Client

from conftest import World, make_user, sign_in_for_real
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add
from pilotti.sso.models import SingleSignOn
from pilotti.sso.tests.conftest import Provider
from tests.factories import make_participant

BEETA_CLIENT = "Beetan Asiakas"


def coordinator_in_both(world: World) -> None:
    membership_add(organisation=world.other_org, user=world.coordinator, role=Role.COORDINATOR)


def test_it_keeps_a_provider_session_out_of_the_persons_other_organisation(
    world: World, oidc_provider: Provider, alfa_sso: SingleSignOn
) -> None:
    coordinator_in_both(world)
    beeta_client = make_participant(world.other_org, name=BEETA_CLIENT, phone="040 123 4567")
    alfa_client = make_participant(world.org)
    client = Client()
    assert oidc_provider.sign_in(client, world.coordinator.email)["Location"] == "/"

    assert client.get(f"/participants/{alfa_client.uuid}/").status_code == 200
    page = client.get(f"/participants/{beeta_client.uuid}/")
    assert page.status_code == 404
    assert BEETA_CLIENT not in page.text
    # The switcher does not offer Beeta, and a forged switch is refused as for an outsider.
    home = client.get("/")
    assert world.other_org.name not in home.text
    assert "Your other organisations" in home.text
    switched = client.post("/organisation/switch/", {"organisation": str(world.other_org.uuid), "next": "/"})
    assert switched.status_code == 404
    assert client.get(f"/participants/{beeta_client.uuid}/").status_code == 404


def test_it_opens_the_other_organisation_after_pilottis_own_second_factor(
    world: World, oidc_provider: Provider, alfa_sso: SingleSignOn
) -> None:
    coordinator_in_both(world)
    beeta_client = make_participant(world.other_org, name=BEETA_CLIENT)
    client = Client()
    oidc_provider.sign_in(client, world.coordinator.email)
    assert world.other_org.name in client.get("/sign-in/other-organisations/").text

    chosen = client.post("/sign-in/other-organisations/", {"organisation": str(world.other_org.uuid)})
    assert chosen["Location"] == "/accounts/2fa/reauthenticate/?next=%2F"
    assert client.post("/accounts/2fa/reauthenticate/?next=%2F", {"code": "000000"}).status_code == 200
    assert client.get(f"/participants/{beeta_client.uuid}/").status_code == 404  # a wrong code opens nothing

    with time_machine.travel(time.time(), tick=False):  # the code cannot expire while it is checked
        code = pyotp.TOTP(world.coordinator.totp_secret).now()  # type: ignore[attr-defined]
        assert client.post("/accounts/2fa/reauthenticate/?next=%2F", {"code": code})["Location"] == "/"
    home = client.get("/")
    assert home.wsgi_request.organisation == world.other_org  # type: ignore[attr-defined]
    assert BEETA_CLIENT in client.get(f"/participants/{beeta_client.uuid}/").text


def test_it_tells_a_person_without_pilottis_second_factor_how_to_reach_their_other_organisations(
    world: World, oidc_provider: Provider, alfa_sso: SingleSignOn
) -> None:
    user = make_user("nomfa@alfa.example", with_mfa=False)
    membership_add(organisation=world.org, user=user, role=Role.FACILITATOR)
    membership_add(organisation=world.other_org, user=user, role=Role.COORDINATOR)
    client = Client()
    oidc_provider.sign_in(client, user.email)
    page = client.get("/sign-in/other-organisations/")
    assert "sign in with your Pilotti password" in page.text
    # Without Pilotti's own second factor, choosing an organisation only shows the page again.
    assert client.post("/sign-in/other-organisations/", {"organisation": str(world.other_org.uuid)}).status_code == 200
    assert client.get("/").wsgi_request.organisation == world.org  # type: ignore[attr-defined]


def test_it_does_not_limit_a_password_and_second_factor_session(world: World) -> None:
    coordinator_in_both(world)
    beeta_client = make_participant(world.other_org, name=BEETA_CLIENT)
    client = Client()
    sign_in_for_real(client, world.coordinator)
    assert client.get(f"/participants/{beeta_client.uuid}/").status_code == 200
    assert client.get("/sign-in/other-organisations/")["Location"] == "/"
