"""Deleting a unit or a programme set up by mistake, while nothing has happened in it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import World, signed_in
from pilotti.meetings.models import Meeting
from pilotti.programmes import services
from pilotti.programmes.models import DeliveryUnit, Programme
from tests.factories import enrol, make_participant, make_programme, make_unit


def test_it_deletes_a_draft_unit_and_then_its_draft_programme(world: World) -> None:
    programme = make_programme(world.org)
    unit = make_unit(programme, first=date(2019, 10, 30))
    client = signed_in(world.coordinator)
    assert "Delete this draft programme" not in client.get(reverse("programmes:detail", args=[programme.slug])).text
    assert "Delete this unit" in client.get(reverse("programmes:unit_detail", args=[unit.uuid])).text
    assert client.post(reverse("programmes:unit_delete", args=[unit.uuid])).status_code == 302
    assert not DeliveryUnit.objects.exists()
    assert not Meeting.objects.exists()
    assert DeliveryUnit.history.get(history_type="-").history_user == world.coordinator  # type: ignore[attr-defined]
    assert "Delete this draft programme" in client.get(reverse("programmes:detail", args=[programme.slug])).text
    assert client.post(reverse("programmes:delete", args=[programme.slug])).status_code == 302
    assert not Programme.objects.exists()


def test_it_refuses_to_delete_a_unit_with_people_or_a_held_meeting(world: World) -> None:
    unit = make_unit(make_programme(world.org))
    held = make_unit(unit.programme, name="Pidetty")
    held.meetings.filter(pk=held.meetings.first().pk).update(status=Meeting.Status.HELD)  # type: ignore[union-attr]
    enrol(make_participant(world.org), unit)
    for refused in (unit, held):
        with pytest.raises(ValidationError, match="cannot be deleted"):
            services.unit_delete_draft(actor=None, unit=refused)
    with pytest.raises(ValidationError, match="has units or people"):
        services.programme_delete_draft(actor=None, programme=unit.programme)
    page = signed_in(world.coordinator).get(reverse("programmes:unit_detail", args=[unit.uuid])).text
    assert "Delete this unit" not in page
    assert DeliveryUnit.objects.count() == 2
