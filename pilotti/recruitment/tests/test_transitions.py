from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import World, signed_in
from pilotti.programmes.models import DeliveryUnit
from pilotti.recruitment import services
from pilotti.recruitment.models import Enrolment
from tests.factories import enrol, make_participant, make_programme, make_unit


@pytest.fixture
def unit(world: World) -> DeliveryUnit:
    unit = make_unit(make_programme(world.org), facilitator=world.facilitator)
    unit.capacity = 2
    unit.save()
    return unit


def move(enrolment: Enrolment, to: str, on: date = date(2019, 10, 5), **extra: object) -> Enrolment:
    return services.enrolment_transition(actor=None, enrolment=enrolment, to=to, on=on, **extra)  # type: ignore[arg-type]


def test_it_moves_forward_and_dates_the_skipped_stages(world: World, unit: DeliveryUnit) -> None:
    enrolment = enrol(make_participant(world.org), unit, stage="contacted")
    enrolment = move(enrolment, "started", date(2019, 10, 30))
    assert enrolment.interested_on == enrolment.enrolled_on == enrolment.started_on == date(2019, 10, 30)
    assert [(c.from_stage, c.to_stage) for c in enrolment.changes.all()] == [
        ("", "contacted"),
        ("contacted", "started"),
    ]
    assert enrolment.history.count() == 2


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        ("started", "interested", "stages only move forward"),
        ("completed", "dropped_out", "has ended"),
        ("declined", "enrolled", "has ended"),
        ("enrolled", "enrolled", "already enrolled"),
        ("enrolled", "waiting", "waiting list"),
    ],
)
def test_it_refuses_impossible_steps_with_a_reason(
    world: World, unit: DeliveryUnit, start: str, to: str, message: str
) -> None:
    enrolment = enrol(make_participant(world.org), unit, stage="contacted")
    if start != "contacted":
        enrolment = move(enrolment, start, reason="Ei aikaa")
    with pytest.raises(ValidationError, match=message):
        move(enrolment, to, reason="x")


def test_it_needs_a_reason_for_dropping_out_and_a_date_after_the_last_step(world: World, unit: DeliveryUnit) -> None:
    enrolment = enrol(make_participant(world.org), unit, on=date(2019, 10, 5))
    with pytest.raises(ValidationError, match="dropped out"):
        move(enrolment, "dropped_out")
    with pytest.raises(ValidationError, match="before the previous step"):
        move(enrolment, "started", date(2019, 10, 1))
    enrolment = move(enrolment, "dropped_out", reason="Muutti pois")
    assert (enrolment.ended_on, enrolment.end_reason) == (date(2019, 10, 5), "Muutti pois")


def test_it_puts_people_on_the_waiting_list_when_the_unit_is_full(world: World, unit: DeliveryUnit) -> None:
    for n in range(2):
        enrol(make_participant(world.org, name=f"Testi {n}"), unit)
    third = enrol(make_participant(world.org, name="Testi 3"), unit, stage="interested")
    with pytest.raises(ValidationError, match=r"full \(2 of 2 places\)"):
        move(third, "enrolled")
    third = move(third, "waiting")
    other = make_unit(unit.programme, name="Toinen ryhmä")
    third = move(third, "enrolled", date(2019, 10, 9), unit=other)
    assert (third.stage, third.unit, third.waitlisted_on) == ("enrolled", other, date(2019, 10, 5))
    steps = [(c.to_stage, c.unit.name if c.unit else None) for c in third.changes.all()]
    assert steps == [
        ("contacted", "Hervanta"),
        ("interested", "Hervanta"),
        ("waiting", "Hervanta"),
        ("enrolled", "Toinen ryhmä"),
    ]


def test_it_lets_the_units_facilitator_move_people_on_the_page(world: World, unit: DeliveryUnit) -> None:
    enrolment = enrol(make_participant(world.org), unit)
    client = signed_in(world.facilitator)
    url = reverse("recruitment:enrolment_move", args=[enrolment.uuid])
    # The fixtures' days are years ago: confirmed, as a coordinator confirms a late entry.
    response = client.post(url, {"to": "started", "on": "2019-10-30", "unit": unit.pk, "confirm": "on"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.stage == "started"
    assert enrolment.changes.last().changed_by == world.facilitator  # type: ignore[union-attr]


def test_it_shows_the_refusal_on_the_page(world: World, unit: DeliveryUnit) -> None:
    enrolment = enrol(make_participant(world.org), unit)
    response = signed_in(world.coordinator).post(
        reverse("recruitment:enrolment_move", args=[enrolment.uuid]),
        {"to": "dropped_out", "on": "2019-10-30", "confirm": "on"},
    )
    assert response.status_code == 400
    assert "Write why the person dropped out" in response.content.decode()


def test_it_lets_evaluators_read_but_not_move(world: World, unit: DeliveryUnit) -> None:
    enrolment = enrol(make_participant(world.org), unit)
    client = signed_in(world.evaluator)
    page = client.get(reverse("recruitment:enrolment_detail", args=[enrolment.uuid]))
    assert page.status_code == 200
    assert "Move on" not in page.content.decode()
    url = reverse("recruitment:enrolment_move", args=[enrolment.uuid])
    assert client.post(url, {"to": "started", "on": "2019-10-30"}).status_code == 403


def test_it_enrols_from_the_participant_page(world: World, unit: DeliveryUnit) -> None:
    participant = make_participant(world.org)
    client = signed_in(world.coordinator)
    url = reverse("recruitment:participant_enrol", args=[participant.uuid])
    assert unit.programme.name in client.get(url).content.decode()
    response = client.post(
        f"{url}?programme={unit.programme.slug}",
        {
            "unit": unit.pk,
            "referral_source": "child_health_clinic",
            "segment": "Suomalaiset perheet",
            "contacted_on": "2019-10-01",
            "confirm": "on",
        },
    )
    enrolment = Enrolment.objects.get()
    assert response["Location"] == reverse("recruitment:enrolment_detail", args=[enrolment.uuid])
    assert (enrolment.participant, enrolment.segment, enrolment.stage) == (
        participant,
        "Suomalaiset perheet",
        "contacted",
    )
    again = client.post(
        f"{url}?programme={unit.programme.slug}",
        {"referral_source": "self", "contacted_on": "2019-10-02", "confirm": "on"},
    )
    assert "already on their way" in again.content.decode()
