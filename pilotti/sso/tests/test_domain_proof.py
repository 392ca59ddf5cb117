"""An e-mail domain opens single sign-on only once its organisation has proven it holds it
(issue 19, finding 1). The attack: an organisation admin names someone else's domain first
and then signs in, through a provider they control, as that domain's people."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from conftest import World, reauthenticated
from pilotti.sso.management.commands.verify_email_domains import Command
from pilotti.sso.models import EmailDomain, SingleSignOn
from pilotti.sso.tests.conftest import CLIENT_ID, CLIENT_SECRET, Provider, prove_domain


def claim(world: World, url: str, organisation: str = "org", domain: str = "alfa.example") -> EmailDomain:
    owner = getattr(world, organisation)
    SingleSignOn.objects.create(
        organisation=owner,
        is_enabled=True,
        server_url=url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        email_domains=[domain],
    )
    return EmailDomain.objects.create(organisation=owner, domain=domain)


def verify(records: dict[str, list[str]]) -> str:
    """Runs the command with a resolver that answers from ``records`` (no network in tests)."""
    command = Command()
    command.txt_records = lambda name: records.get(name, [])  # type: ignore[method-assign]
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def test_it_does_not_send_anyone_to_the_provider_of_an_unproven_domain(world: World) -> None:
    # Beeta's admin names Alfa's domain: saved, but it sends nobody of Alfa to Beeta's provider.
    claim(world, "https://idp.beeta.example", organisation="other_org")
    start = Client().post("/sign-in/organisation/", {"email": world.owner.email})
    assert start.status_code == 400
    assert "No organisation signs in addresses at alfa.example" in start.text


def test_it_refuses_an_unproven_domain_at_the_provider_too(world: World, oidc_provider: Provider) -> None:
    claim(world, oidc_provider.url)
    prove_domain(world.org, "elsewhere.example")  # a proven domain opens only itself
    response = oidc_provider.sign_in_at(Client(), "org-alfa", world.owner.email)
    assert response.status_code == 403
    assert "did not give a verified e-mail address in an allowed domain" in response.text


def test_the_command_proves_a_domain_by_its_txt_record_and_staff_then_sign_in(
    world: World, oidc_provider: Provider
) -> None:
    pending = claim(world, oidc_provider.url)
    out = verify({pending.txt_name: ["v=spf1 -all", "pilotti-domain-verification=someone else's"]})
    assert "alfa alfa.example: not proven" in out
    assert Client().post("/sign-in/organisation/", {"email": world.owner.email}).status_code == 400

    assert "alfa alfa.example: proven" in verify({pending.txt_name: [pending.txt_value]})
    pending.refresh_from_db()
    assert (pending.proof, pending.proven_by) == (EmailDomain.Proof.DNS, "_pilotti-challenge.alfa.example")
    assert oidc_provider.sign_in(Client(), world.owner.email)["Location"] == "/"


def test_a_domain_is_proven_for_one_organisation_only(world: World) -> None:
    prove_domain(world.org, "alfa.example")
    beeta = claim(world, "https://idp.beeta.example", organisation="other_org")
    assert "not proven" in verify({beeta.txt_name: [beeta.txt_value]})
    beeta.refresh_from_db()
    assert beeta.proven_at is None
    # And the admin is told at once that the domain is someone else's.
    client = reauthenticated(world.outsider)
    form = {"server_url": "https://idp.beeta.example", "client_id": "b", "email_domains": "alfa.example"}
    assert (
        "Another organisation already signs in addresses at alfa.example."
        in client.post("/organisation/sign-in/", form).text
    )


def test_the_operator_approves_a_domain(world: World) -> None:
    pending = claim(world, "https://idp.alfa.example")
    with pytest.raises(CommandError, match="Name the operator"):
        call_command("verify_email_domains", approve="alfa.example", organisation="alfa")
    with pytest.raises(CommandError, match=r"No unproven claim to alfa\.example by the organisation 'beeta'"):
        call_command("verify_email_domains", approve="alfa.example", organisation="beeta", operator="Olli")
    out = StringIO()
    call_command("verify_email_domains", approve="alfa.example", organisation="alfa", operator="Olli", stdout=out)
    assert out.getvalue() == "alfa alfa.example: approved by Olli\n"
    pending.refresh_from_db()
    assert (pending.proof, pending.proven_by) == (EmailDomain.Proof.OPERATOR, "Olli")


def test_the_settings_page_shows_the_record_to_publish(world: World, oidc_provider: Provider) -> None:
    pending = claim(world, oidc_provider.url)
    page = reauthenticated(world.owner).get("/organisation/sign-in/")
    assert pending.txt_name in page.text
    assert pending.txt_value in page.text
    assert "Not proven yet" in page.text
