"""Who sees which participants, and whose contact details: the role tests of issue 5."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import World, signed_in
from pilotti.organisations.models import Membership, Role
from pilotti.organisations.services import membership_change_role
from pilotti.organisations.viewer import Viewer
from pilotti.people.selectors import can_see_contact_details, participants_visible_to
from pilotti.programmes.forms import FacilitatorForm
from pilotti.programmes.models import UnitFacilitator
from pilotti.programmes.services import facilitator_assign
from tests.factories import EMAIL, NAME, PHONE, enrol, make_household, make_participant, make_programme, make_unit


def test_it_never_shows_contact_details_to_an_evaluator(world: World) -> None:
    participant = make_participant(world.org)
    client = signed_in(world.evaluator)
    page = client.get(reverse("people:detail", args=[participant.uuid])).content.decode()
    assert participant.code in page
    for secret in (NAME, PHONE, EMAIL, "Contact details"):
        assert secret not in page
    assert client.get(reverse("people:contact_edit", args=[participant.uuid])).status_code == 403
    listing = client.get(reverse("people:list"), {"q": NAME}).content.decode()
    assert participant.code not in listing  # evaluators cannot search by name


def test_it_shows_contact_details_to_the_coordinator(world: World) -> None:
    participant = make_participant(world.org)
    page = signed_in(world.coordinator).get(reverse("people:detail", args=[participant.uuid])).content.decode()
    for value in (NAME, PHONE, EMAIL):
        assert value in page


def test_it_keeps_contact_details_from_the_organisation_admin(world: World) -> None:
    participant = make_participant(world.org)
    page = signed_in(world.owner).get(reverse("people:detail", args=[participant.uuid])).content.decode()
    assert participant.code in page
    assert NAME not in page


def test_it_shows_a_facilitator_only_their_own_units_people(world: World) -> None:
    programme = make_programme(world.org)
    mine = make_unit(programme, name="Minun ryhmäni", facilitator=world.facilitator)
    other = make_unit(programme, name="Toisen ryhmä")
    own = make_participant(world.org, name="Oma Osallistuja")
    stranger = make_participant(world.org, name="Vieras Osallistuja")
    partner = make_participant(world.org, name="Oman Puoliso")
    enrol(own, mine)
    enrol(stranger, other)
    client = signed_in(world.facilitator)
    assert set(participants_visible_to(Viewer.everywhere(world.facilitator))) == {own}
    page = client.get(reverse("people:detail", args=[own.uuid])).content.decode()
    assert "Oma Osallistuja" in page
    assert client.get(reverse("people:detail", args=[stranger.uuid])).status_code == 404
    listing = client.get(reverse("people:list")).content.decode()
    assert own.code in listing
    assert stranger.code not in listing
    # A household enrolled in the unit brings its members along.
    enrol(make_household(partner), mine)
    assert can_see_contact_details(Viewer.everywhere(world.facilitator), partner)
    assert client.get(reverse("people:detail", args=[partner.uuid])).status_code == 200


def test_it_lets_a_facilitator_record_consent_but_not_edit_the_person(world: World) -> None:
    unit = make_unit(make_programme(world.org), facilitator=world.facilitator)
    participant = make_participant(world.org)
    enrol(participant, unit)
    client = signed_in(world.facilitator)
    assert client.get(reverse("people:edit", args=[participant.uuid])).status_code == 403
    response = client.post(
        reverse("people:consent_add", args=[participant.uuid]),
        {"purposes": "evaluation", "given_on": "2024-01-05", "method": "written"},
    )
    assert response.status_code == 302
    assert participant.consents.get().recorded_by == world.facilitator


@pytest.mark.parametrize("name", ["people:detail", "people:edit", "people:contact_edit", "people:consent_add"])
def test_it_answers_404_to_outsiders(world: World, name: str) -> None:
    participant = make_participant(world.org)
    assert signed_in(world.outsider).get(reverse(name, args=[participant.uuid])).status_code == 404


def test_it_stops_showing_people_when_the_membership_ends(world: World) -> None:
    participant = make_participant(world.org)
    membership = world.membership(world.coordinator)
    membership.is_active = False
    membership.save()
    assert not participants_visible_to(Viewer.everywhere(world.coordinator)).filter(pk=participant.pk).exists()


def test_it_keeps_contact_details_from_an_admin_or_evaluator_assigned_to_the_unit(world: World) -> None:
    # Assignments made before they followed the role, or while the member had another role.
    unit = make_unit(make_programme(world.org))
    for user in (world.owner, world.evaluator):
        UnitFacilitator.objects.create(unit=unit, user=user, role="peer_instructor")
    participant = make_participant(world.org)
    enrol(participant, unit)
    for user in (world.owner, world.evaluator):
        client = signed_in(user)
        assert client.get(reverse("people:contact_edit", args=[participant.uuid])).status_code == 403
        assert NAME not in client.get(reverse("people:detail", args=[participant.uuid])).content.decode()


def test_it_takes_contact_details_from_a_facilitator_demoted_to_evaluator(world: World) -> None:
    unit = make_unit(make_programme(world.org), facilitator=world.facilitator)
    participant = make_participant(world.org)
    enrol(participant, unit)
    client = signed_in(world.facilitator)
    assert NAME in client.get(reverse("people:detail", args=[participant.uuid])).content.decode()
    membership = Membership.objects.get(user=world.facilitator, organisation=world.org)
    membership_change_role(actor=world.owner, membership=membership, role=Role.EVALUATOR, title="")
    assert NAME not in client.get(reverse("people:detail", args=[participant.uuid])).content.decode()
    assert client.get(reverse("people:contact_edit", args=[participant.uuid])).status_code == 403


def test_it_assigns_only_facilitators_and_coordinators_to_a_unit(world: World) -> None:
    unit = make_unit(make_programme(world.org))
    for user in (world.owner, world.evaluator):
        with pytest.raises(ValidationError):
            facilitator_assign(actor=world.owner, unit=unit, user=user, role="peer_instructor")
    offered = set(FacilitatorForm(unit=unit).fields["user"].queryset)  # type: ignore[attr-defined]
    assert offered == {world.coordinator, world.facilitator}
