"""The roster of staff and volunteers: who is on it, their trainings, leaving, corrections, and
who may see what. A staff member is never a participant."""

import json
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from conftest import World, reauthenticated, signed_in
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.staff import selectors, services
from pilotti.staff.models import StaffMember, Training
from pilotti.staff.services import MemberFields, RecordFields
from tests.factories import make_programme, make_unit

TODAY = date(2020, 2, 3)


def _setup(world: World) -> tuple[Programme, DeliveryUnit, Training]:
    programme = make_programme(
        world.org, name="Pikkulapsiperheet", facilitator_roles=["public_health_nurse", "peer_instructor"]
    )
    unit = make_unit(programme, name="Hervanta: Naistari")
    training = services.training_add(
        actor=world.coordinator, programme=programme, name="Kasvokkain-ohjaajakoulutus", provider="Pakolaisapu"
    )
    return programme, unit, training


def _nurse(world: World, programme: Programme, unit: DeliveryUnit, name: str = "Hanna Heinonen") -> StaffMember:
    return services.staff_member_add(
        actor=None,  # as the demo and imports add them: a history row with no user
        programme=programme,
        organisation=world.org,
        fields=MemberFields(
            name=name, role="public_health_nurse", phone="040 555 0101", email="hanna@example.org", units=[unit]
        ),
    )


@time_machine.travel(TODAY)
def test_it_adds_a_person_to_the_roster_and_keeps_their_name_and_phone_encrypted(world: World) -> None:
    programme, unit, _training = _setup(world)
    client = signed_in(world.coordinator)
    response = client.post(
        reverse("staff:member_add", args=[programme.slug]),
        {"name": "Aisha Warsame", "role": "peer_instructor", "phone": "040 123 4567", "units": [unit.pk]},
    )
    assert response.status_code == 302
    page = client.get(reverse("staff:roster", args=[programme.slug])).content.decode()
    assert "Aisha Warsame" in page
    assert "Hervanta: Naistari" in page
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone FROM staff_staffmember")
        stored = cursor.fetchall()
        cursor.execute("SELECT name, phone FROM staff_historicalstaffmember")
        stored += cursor.fetchall()
    assert stored
    assert all("Aisha" not in name and "4567" not in phone for name, phone in stored)


@time_machine.travel(TODAY)
def test_it_counts_a_person_as_trained_only_with_a_completed_training_that_holds(world: World) -> None:
    programme, unit, training = _setup(world)
    nurse = _nurse(world, programme, unit)
    assert selectors.trained_staff_by_unit([unit], on=TODAY) == {unit.pk: 0}
    started = services.training_record_add(
        actor=world.coordinator,
        member=nurse,
        fields=RecordFields(training=training, trained_on=date(2019, 9, 10), completed=False),
    )
    assert selectors.trained_staff_by_unit([unit], on=TODAY) == {unit.pk: 0}
    services.training_record_change(
        actor=world.coordinator,
        record=started,
        fields=RecordFields(
            training=training, trained_on=date(2019, 9, 10), completed=True, valid_until=date(2020, 1, 31)
        ),
        reason="Todistus saapui.",
    )
    assert selectors.trained_staff_by_unit([unit], on=date(2020, 1, 31)) == {unit.pk: 1}
    assert selectors.trained_staff_by_unit([unit], on=TODAY) == {unit.pk: 0}  # expired
    assert started.history.first().history_change_reason == "Todistus saapui."  # type: ignore[union-attr]


@time_machine.travel(TODAY)
def test_it_warns_on_the_unit_page_when_a_planned_role_has_nobody_trained(world: World) -> None:
    programme, unit, training = _setup(world)
    nurse = _nurse(world, programme, unit)
    services.training_record_add(
        actor=world.coordinator, member=nurse, fields=RecordFields(training=training, trained_on=date(2019, 9, 10))
    )
    assert selectors.roles_without_trained_person(unit, on=TODAY) == ["peer instructor"]
    page = signed_in(world.coordinator).get(reverse("staff:unit", args=[unit.uuid]))
    assert page.status_code == 200
    assert "peer instructor" in page.content.decode()  # the warning names the role


@time_machine.travel(TODAY)
def test_it_takes_a_leaver_off_the_roster_and_out_of_the_counts_and_can_put_them_back(world: World) -> None:
    programme, unit, training = _setup(world)
    nurse = _nurse(world, programme, unit)
    services.training_record_add(
        actor=world.coordinator, member=nurse, fields=RecordFields(training=training, trained_on=date(2019, 9, 10))
    )
    client = signed_in(world.coordinator)
    assert client.post(reverse("staff:member_archive", args=[nurse.uuid]), {"reason": ""}).status_code == 302
    nurse.refresh_from_db()
    assert not nurse.is_archived  # a reason is needed
    client.post(reverse("staff:member_archive", args=[nurse.uuid]), {"reason": "Siirtyi toiseen työhön."})
    link = reverse("staff:member", args=[nurse.uuid])
    assert link not in client.get(reverse("staff:roster", args=[programme.slug])).content.decode()
    assert link in client.get(reverse("staff:roster", args=[programme.slug]) + "?archived=1").content.decode()
    assert selectors.trained_staff_by_unit([unit], on=TODAY) == {unit.pk: 0}
    client.post(reverse("staff:member_restore", args=[nurse.uuid]))
    assert selectors.trained_staff_by_unit([unit], on=TODAY) == {unit.pk: 1}


@time_machine.travel(TODAY)
def test_it_corrects_a_person_keeping_the_earlier_values_in_the_history(world: World) -> None:
    programme, unit, _training = _setup(world)
    nurse = _nurse(world, programme, unit, name="Hana Heinonen")
    response = signed_in(world.coordinator).post(
        reverse("staff:member", args=[nurse.uuid]),
        {"name": "Hanna Heinonen", "role": "public_health_nurse", "units": [unit.pk], "reason": "Nimi väärin."},
    )
    assert response.status_code == 302
    names = [entry.name for entry in nurse.history.order_by("history_id")]
    assert (names[0], names[-1]) == ("Hana Heinonen", "Hanna Heinonen")
    assert nurse.history.first().history_change_reason == "Nimi väärin."  # type: ignore[union-attr]


@time_machine.travel(TODAY)
def test_it_shows_the_evaluator_the_roster_without_phone_numbers_and_facilitators_nothing(world: World) -> None:
    programme, unit, _training = _setup(world)
    nurse = _nurse(world, programme, unit)
    page = signed_in(world.evaluator).get(reverse("staff:member", args=[nurse.uuid])).content.decode()
    assert "Hanna Heinonen" in page
    assert "040 555 0101" not in page
    as_coordinator = signed_in(world.coordinator).get(reverse("staff:member", args=[nurse.uuid]))
    assert "040 555 0101" in as_coordinator.content.decode()
    assert signed_in(world.facilitator).get(reverse("staff:roster", args=[programme.slug])).status_code == 404
    assert signed_in(world.outsider).post(reverse("staff:member", args=[nurse.uuid])).status_code == 404


@time_machine.travel(TODAY)
def test_it_counts_staff_against_staff_targets_and_never_as_participants(world: World) -> None:
    programme, unit, training = _setup(world)
    services.staff_targets_set(
        actor=world.coordinator, programme=programme, targets={"public_health_nurse": 10, "peer_instructor": None}
    )
    for n in range(3):
        nurse = _nurse(world, programme, unit, name=f"Terveydenhoitaja {n}")
        if n < 2:
            services.training_record_add(
                actor=world.coordinator,
                member=nurse,
                fields=RecordFields(training=training, trained_on=date(2019, 9, 10)),
            )
    [row] = selectors.staff_target_rows(programme, on=TODAY)
    assert (row.role, row.target, row.on_roster, row.trained) == ("public_health_nurse", 10, 3, 2)
    assert Participant.objects.count() == 0
    page = signed_in(world.coordinator).get(reverse("staff:roster", args=[programme.slug])).content.decode()
    assert 'data-role="public_health_nurse"' in page


@time_machine.travel(TODAY)
def test_it_refuses_units_of_another_organisation(world: World) -> None:
    programme, _unit, _training = _setup(world)
    theirs = make_unit(make_programme(world.other_org, name="Muu"), name="Beetan ryhmä")
    with pytest.raises(Exception, match="units"):
        services.staff_member_add(
            actor=world.coordinator,
            programme=programme,
            organisation=world.org,
            fields=MemberFields(name="X", role="volunteer", units=[theirs]),
        )


@time_machine.travel(TODAY)
def test_it_shows_the_roster_in_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: pytest.FixtureRequest
) -> None:
    programme, unit, training = _setup(world)
    for n in range(6):
        member = _nurse(world, programme, unit, name=f"Hoitaja {n}")
        services.training_record_add(
            actor=world.coordinator, member=member, fields=RecordFields(training=training, trained_on=date(2019, 9, 1))
        )
    client = signed_in(world.coordinator)
    with django_assert_max_num_queries(30):  # type: ignore[operator]
        assert client.get(reverse("staff:roster", args=[programme.slug])).status_code == 200
    assert len(selectors.roster(Viewer.everywhere(world.coordinator), programme, world.org)) == 6


@time_machine.travel(TODAY)
def test_it_gives_a_person_their_data_and_erases_their_name_everywhere_on_request(world: World) -> None:
    programme, unit, training = _setup(world)
    nurse = _nurse(world, programme, unit)
    services.training_record_add(
        actor=world.coordinator, member=nurse, fields=RecordFields(training=training, trained_on=date(2019, 9, 10))
    )
    client = reauthenticated(world.coordinator)
    export = client.post(reverse("staff:member_export", args=[nurse.uuid]))
    data = json.loads(b"".join(export.streaming_content) if export.streaming else export.content)
    assert data["staff_member"]["phone"] == "040 555 0101"
    assert [t["training"] for t in data["trainings"]] == ["Kasvokkain-ohjaajakoulutus"]
    assert client.post(reverse("staff:member_erase", args=[nurse.uuid])).status_code == 302
    nurse.refresh_from_db()
    assert nurse.is_archived
    assert {(h.name, h.phone, h.email) for h in nurse.history.all()} == {("", "", "")}
    assert nurse.training_records.count() == 1
    assert "Hanna" not in client.get(reverse("staff:member", args=[nurse.uuid])).content.decode()
    # Outsiders and evaluators get neither.
    assert reauthenticated(world.outsider).post(reverse("staff:member_export", args=[nurse.uuid])).status_code == 404
    assert reauthenticated(world.evaluator).post(reverse("staff:member_erase", args=[nurse.uuid])).status_code == 403
