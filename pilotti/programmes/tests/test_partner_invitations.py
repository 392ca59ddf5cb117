"""A partnership needs both sides: the owner invites, an admin of the invited organisation accepts.

Issue 19: a programme owner's admin named any organisation a partner, and that organisation was
at once listed with the programme in reports and its people were opened to the owner's units.
These tests are the attacker's: the owner's admin invites another organisation and tries every
path a partnership opens before the answer, and everyone but that organisation's admins tries
to answer for it.
"""

from django.core import mail
from django.urls import reverse

from conftest import World, make_user, signed_in
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.organisations.viewer import Viewer
from pilotti.programmes import selectors, services
from pilotti.programmes.models import Partnership, PartnershipInvitation, Programme
from tests.factories import make_programme, make_unit
from tests.test_isolation import OWN_ACCOUNT_ONLY, all_patterns, registered_kwargs


def _beeta_staff(world: World) -> dict[str, object]:
    """world.other_org's members in every role (its admin is world.outsider)."""
    staff: dict[str, object] = {"admin": world.outsider}
    for role in (Role.COORDINATOR, Role.FACILITATOR, Role.EVALUATOR):
        user = make_user(f"{role}@beeta.example", full_name=f"Beeta {role}")
        membership_add(organisation=world.other_org, user=user, role=role)
        staff[str(role)] = user
    return staff


def _invite(world: World, programme: Programme) -> None:
    """The owner's admin asks Beeta on the programme page, as an attacker would."""
    response = signed_in(world.owner).post(
        reverse("programmes:partner_add", args=[programme.slug]), {"partner-business_id": "1572860-0"}, follow=True
    )
    assert "asked to be a partner" in response.text


def test_an_invitation_opens_nothing_to_either_side_before_it_is_accepted(world: World) -> None:
    registry = registered_kwargs(world)  # world.org's objects behind every URL with arguments
    programmes = list(Programme.objects.filter(organisation=world.org))
    for programme in programmes:
        _invite(world, programme)
    assert PartnershipInvitation.objects.filter(organisation=world.other_org, status="pending").count() == len(
        programmes
    )
    staff = _beeta_staff(world)
    opened: list[str] = []
    for role in ("admin", "coordinator", "evaluator"):
        client = signed_in(staff[role])  # type: ignore[arg-type]
        for name, takes_arguments in all_patterns():
            if name in OWN_ACCOUNT_ONLY or name.startswith("api-v1:"):
                continue
            if takes_arguments:
                url = reverse(name, kwargs=registry[name])
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    # Opened: an answer, or a redirect other than to signing in again (which the
                    # isolation walk, signed in for real, sees through).
                    if response.status_code < 300 or (
                        response.status_code == 302 and not response["Location"].startswith("/accounts/")
                    ):
                        opened.append(f"{role}: {method.upper()} {url} ({name}) answered {response.status_code}")
            elif name != "programmes:partner_invitations":  # the one page that names the asker
                page = client.get(reverse(name)).content.decode(errors="replace")
                if any(p.name in page for p in programmes):
                    opened.append(f"{role}: GET {reverse(name)} ({name}) names world.org's programme")
    assert not opened, "\n".join(opened)

    # The owner's side: Beeta is no partner anywhere, not on the page, not in the report.
    programme = programmes[0]
    assert not Partnership.objects.exists()
    assert not selectors.linked_organisations(programme).exists()
    assert not selectors.programmes_run_by(Viewer.everywhere(world.owner), world.other_org.pk).exists()
    page = signed_in(world.owner).get(reverse("programmes:detail", args=[programme.slug])).text
    assert "waiting for its admin" in page
    assert reverse("programmes:organisation_unlink", args=[programme.slug, "beeta"]) not in page
    report = signed_in(world.coordinator).get(reverse("evaluation:programme_report", args=[programme.slug])).text
    assert world.other_org.name not in report


def test_only_an_admin_of_the_invited_organisation_can_accept(world: World) -> None:
    programme = make_programme(world.org)
    make_unit(programme, name="Alfan ryhmä")
    _invite(world, programme)
    invitation = PartnershipInvitation.objects.get()
    accept = reverse("programmes:partner_invitation_accept", args=[invitation.uuid])
    staff = _beeta_staff(world)
    gamma = organisation_create(name="Gamma kunta", slug="gamma", kind="municipality", business_id="0204819-8")
    gamma_admin = make_user("admin@gamma.example")
    membership_add(organisation=gamma, user=gamma_admin, role=Role.ADMIN)
    # The inviting owner's admin, a third organisation's admin and Beeta's other roles: all 404.
    for user in (world.owner, gamma_admin, staff["coordinator"], staff["facilitator"], staff["evaluator"]):
        client = signed_in(user)  # type: ignore[arg-type]
        assert client.post(accept).status_code == 404, user
        assert client.post(reverse("programmes:partner_invitation_decline", args=[invitation.uuid])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not programme.partnerships.exists()

    assert signed_in(world.outsider).post(accept).status_code == 302
    invitation.refresh_from_db()
    assert (invitation.status, invitation.answered_by) == ("accepted", world.outsider)
    assert list(programme.partners.all()) == [world.other_org]
    created = Partnership.history.get()  # type: ignore[attr-defined]
    assert (created.history_user, created.history_change_reason) == (world.outsider, "invitation accepted")
    # Now, and only now, Beeta's coordinator sees the programme and the owner's unit.
    page = signed_in(staff["coordinator"]).get(reverse("programmes:detail", args=[programme.slug]))  # type: ignore[arg-type]
    assert page.status_code == 200
    assert "Alfan ryhmä" in page.text
    # Answered once: a second answer is refused.
    assert signed_in(world.outsider).post(accept).status_code == 404


def test_a_declined_invitation_changes_nothing_and_both_sides_see_the_answer(world: World) -> None:
    programme = make_programme(world.org, name="Vertaisryhmät")
    _invite(world, programme)
    invitation = PartnershipInvitation.objects.get()
    client = signed_in(world.outsider)
    listing = client.get(reverse("programmes:partner_invitations")).text
    assert "Vertaisryhmät" in listing
    assert "Alfa admin" in listing  # who asked
    decline = reverse("programmes:partner_invitation_decline", args=[invitation.uuid])
    assert client.post(decline, {"why": "Ei resursseja tänä vuonna"}).status_code == 302
    assert not programme.partnerships.exists()
    history = client.get(reverse("programmes:partner_invitations")).text
    assert "Ei resursseja tänä vuonna" in history
    assert "Beeta admin" in history  # who answered
    owner_page = signed_in(world.owner).get(reverse("programmes:detail", args=[programme.slug])).text
    assert "Ei resursseja tänä vuonna" in owner_page
    answered = invitation.history.first()  # type: ignore[attr-defined]
    assert (answered.history_user, answered.history_change_reason) == (world.outsider, "partnership declined")
    # The owner may ask again; the new question is open, the old answer stays.
    _invite(world, programme)
    assert list(programme.partner_invitations.values_list("status", flat=True).order_by("status")) == [
        "declined",
        "pending",
    ]


def test_the_invited_organisations_admins_are_told_by_email_once(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    programme = make_programme(world.org, name="Vertaisryhmät")
    client = signed_in(world.owner)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("programmes:partner_add", args=[programme.slug]), {"partner-business_id": "1572860-0"})
    assert [m.to for m in mail.outbox] == [[world.outsider.email]]
    assert reverse("programmes:partner_invitations") in mail.outbox[0].body


def test_the_invitations_page_runs_a_constant_number_of_queries(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.outsider)
    for n in range(6):
        services.partner_invite(
            actor=world.owner, programme=make_programme(world.org, name=f"Ohjelma {n}"), organisation=world.other_org
        )
    client.get(reverse("programmes:partner_invitations"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("programmes:partner_invitations")).status_code == 200


def test_partnerships_made_before_invitations_count_as_accepted(world: World) -> None:
    from importlib import import_module

    from django.apps import apps

    programme = make_programme(world.org, name="Vanha kumppanuus")
    Partnership.objects.create(programme=programme, organisation=world.other_org)  # as before the migration
    migration = import_module("pilotti.programmes.migrations.0006_partnership_invitation")
    migration.existing_partnerships_were_accepted(apps, None)
    invitation = PartnershipInvitation.objects.get()
    assert (invitation.status, invitation.organisation) == ("accepted", world.other_org)
    assert "Vanha kumppanuus" in signed_in(world.outsider).get(reverse("programmes:partner_invitations")).text
    assert signed_in(world.outsider).get(reverse("programmes:detail", args=[programme.slug])).status_code == 200
