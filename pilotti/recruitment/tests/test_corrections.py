"""Correcting a funnel step: a wrong date or a step taken by mistake never locks an enrolment."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import World, signed_in
from pilotti.programmes.models import DeliveryUnit
from pilotti.recruitment import services
from pilotti.recruitment.models import Enrolment, StageChange
from tests.factories import enrol, make_participant, make_programme, make_unit

# The day the coordinator in the issue worked on: the contact was on 24.12.2026, typed as 2027.
TODAY = datetime(2026, 12, 28, 10, tzinfo=ZoneInfo("Europe/Helsinki"))
TYPO = date(2027, 12, 24)


@pytest.fixture
def unit(world: World) -> DeliveryUnit:
    return make_unit(make_programme(world.org), facilitator=world.facilitator)


def move(enrolment: Enrolment, to: str, on: date, **extra: object) -> Enrolment:
    return services.enrolment_transition(actor=None, enrolment=enrolment, to=to, on=on, **extra)  # type: ignore[arg-type]


def steps(enrolment: Enrolment) -> list[StageChange]:
    return services.effective_steps(enrolment)


def correct(enrolment: Enrolment, step: StageChange, on: date, reason: str = "", why: str = "Väärä vuosi") -> None:
    services.stage_change_correct(actor=None, enrolment=enrolment, step=step, on=on, reason=reason, why=why)


def test_it_corrects_the_contact_date_that_locked_the_enrolment(world: World, unit: DeliveryUnit) -> None:
    enrolment = enrol(make_participant(world.org), unit, stage="contacted", on=TYPO)
    with pytest.raises(ValidationError, match="before the previous step"):
        move(enrolment, "interested", date(2026, 12, 28))

    correct(enrolment, steps(enrolment)[0], date(2026, 12, 24))
    enrolment = move(enrolment, "interested", date(2026, 12, 28))

    assert (enrolment.contacted_on, enrolment.interested_on) == (date(2026, 12, 24), date(2026, 12, 28))
    correction = enrolment.changes.get(kind="correction")
    assert (correction.previous_on, correction.on, correction.reason) == (TYPO, date(2026, 12, 24), "Väärä vuosi")
    assert enrolment.history.filter(contacted_on=TYPO).exists()


def test_it_moves_the_dates_of_skipped_stages_with_the_step(world: World, unit: DeliveryUnit) -> None:
    enrolment = move(enrol(make_participant(world.org), unit, stage="contacted"), "started", date(2019, 10, 30))
    correct(enrolment, steps(enrolment)[1], date(2019, 10, 20))
    enrolment.refresh_from_db()
    assert enrolment.interested_on == enrolment.enrolled_on == enrolment.started_on == date(2019, 10, 20)


def test_it_corrects_a_drop_out_reason_but_never_to_nothing(world: World, unit: DeliveryUnit) -> None:
    enrolment = move(enrol(make_participant(world.org), unit), "dropped_out", date(2019, 10, 9), reason="Muutti")
    step = steps(enrolment)[-1]
    with pytest.raises(ValidationError, match="why the person dropped out"):
        correct(enrolment, step, step.on, reason=" ")
    correct(enrolment, step, step.on, reason="Sai työpaikan")
    enrolment.refresh_from_db()
    assert enrolment.end_reason == "Sai työpaikan"
    assert enrolment.changes.get(kind="correction").previous_reason == "Muutti"


def test_it_refuses_a_correction_out_of_order_or_without_a_reason(world: World, unit: DeliveryUnit) -> None:
    enrolment = move(enrol(make_participant(world.org), unit, stage="contacted"), "interested", date(2019, 10, 9))
    first, second = steps(enrolment)
    with pytest.raises(ValidationError, match="after the next step"):
        correct(enrolment, first, date(2019, 10, 10))
    with pytest.raises(ValidationError, match="before the previous step"):
        correct(enrolment, second, date(2019, 9, 30))
    with pytest.raises(ValidationError, match="Write why"):
        correct(enrolment, second, date(2019, 10, 8), why="")
    with pytest.raises(ValidationError, match="Nothing was changed"):
        correct(enrolment, second, second.on)
    assert not enrolment.changes.filter(kind="correction").exists()


def test_it_undoes_the_latest_step_and_keeps_it_in_the_history(world: World, unit: DeliveryUnit) -> None:
    enrolment = move(enrol(make_participant(world.org), unit, stage="contacted"), "started", date(2019, 10, 30))
    services.enrolment_undo_step(actor=world.coordinator, enrolment=enrolment, why="Väärä henkilö")
    enrolment.refresh_from_db()
    assert (enrolment.stage, enrolment.interested_on, enrolment.started_on) == ("contacted", None, None)
    assert [c.kind for c in enrolment.changes.all()] == ["step", "step", "undo"]
    assert [s.to_stage for s in steps(enrolment)] == ["contacted"]
    assert move(enrolment, "interested", date(2019, 10, 2)).stage == "interested"


def test_it_undoes_an_exit_and_a_move_off_the_waiting_list(world: World, unit: DeliveryUnit) -> None:
    enrolment = move(enrol(make_participant(world.org), unit, stage="interested"), "waiting", date(2019, 10, 2))
    other = make_unit(unit.programme, name="Toinen ryhmä")
    enrolment = move(enrolment, "enrolled", date(2019, 10, 9), unit=other)
    enrolment = move(enrolment, "declined", date(2019, 10, 10), reason="Ei aikaa")
    services.enrolment_undo_step(actor=None, enrolment=enrolment, why="Väärä rivi")
    services.enrolment_undo_step(actor=None, enrolment=enrolment, why="Väärä ryhmä")
    enrolment.refresh_from_db()
    assert (enrolment.stage, enrolment.unit, enrolment.enrolled_on) == ("waiting", unit, None)
    assert (enrolment.ended_on, enrolment.end_reason, enrolment.waitlisted_on) == (None, "", date(2019, 10, 2))


def test_it_refuses_undos_that_would_break_something(world: World, unit: DeliveryUnit) -> None:
    person = make_participant(world.org)
    enrolment = enrol(person, unit, stage="contacted")
    with pytest.raises(ValidationError, match="first step cannot be undone"):
        services.enrolment_undo_step(actor=None, enrolment=enrolment, why="x")
    move(enrolment, "declined", date(2019, 10, 2))
    enrol(person, unit, stage="contacted", on=date(2019, 11, 1))
    with pytest.raises(ValidationError, match="newer enrolment"):
        services.enrolment_undo_step(actor=None, enrolment=enrolment, why="x")

    unit.capacity = 1
    unit.save()
    full = move(enrol(make_participant(world.org, name="Toinen"), unit), "dropped_out", date(2019, 10, 2), reason="x")
    enrol(make_participant(world.org, name="Kolmas"), unit)
    with pytest.raises(ValidationError, match="full"):
        services.enrolment_undo_step(actor=None, enrolment=full, why="Väärä henkilö")


def test_it_warns_about_a_contact_date_in_the_future_until_confirmed(world: World, unit: DeliveryUnit) -> None:
    person = make_participant(world.org)
    person.segment = "Suomalaiset perheet"
    person.save()
    url = reverse("recruitment:participant_enrol", args=[person.uuid]) + f"?programme={unit.programme.slug}"
    typed = {"referral_source": "outreach", "contacted_on": TYPO.isoformat()}
    with time_machine.travel(TODAY, tick=False):
        client = signed_in(world.coordinator)
        form = client.get(url).text
        assert 'value="2026-12-28"' in form
        assert '<option value="Suomalaiset perheet" selected>' in form  # the person's segment
        response = client.post(url, typed)
        assert response.status_code == 400
        assert "is in the future" in response.text
        assert 'type="checkbox" name="confirm"' in response.text
        assert 'value="2027-12-24"' in response.text
        assert not Enrolment.objects.exists()
        response = client.post(url, {**typed, "confirm": "on"})
    assert response.status_code == 302
    assert Enrolment.objects.get().contacted_on == TYPO


def test_it_warns_about_a_step_more_than_two_years_ago(world: World, unit: DeliveryUnit) -> None:
    enrolment = enrol(make_participant(world.org), unit, stage="contacted", on=date(2024, 11, 1))
    url = reverse("recruitment:enrolment_move", args=[enrolment.uuid])
    with time_machine.travel(TODAY, tick=False):
        client = signed_in(world.coordinator)
        response = client.post(url, {"to": "interested", "on": "2024-11-02", "unit": unit.pk})
        assert response.status_code == 400
        assert "more than two years ago" in response.text
        assert client.post(url, {"to": "interested", "on": "2026-12-27", "unit": unit.pk}).status_code == 302


def test_it_corrects_and_undoes_through_the_page(world: World, unit: DeliveryUnit) -> None:
    enrolment = enrol(make_participant(world.org), unit, stage="contacted", on=TYPO)
    detail = reverse("recruitment:enrolment_detail", args=[enrolment.uuid])
    first = steps(enrolment)[0]
    with time_machine.travel(TODAY, tick=False):
        client = signed_in(world.coordinator)
        assert "Correct a mistake" in client.get(detail).text
        correct_url = reverse("recruitment:enrolment_correct", args=[enrolment.uuid])
        response = client.post(correct_url, {"step": first.pk, "on": "2026-12-24", "why": ""})
        assert response.status_code == 400
        assert 'value="2026-12-24"' in response.text
        response = client.post(correct_url, {"step": first.pk, "on": "2026-12-24", "why": "Väärä vuosi"})
        assert response.status_code == 302
        move(enrolment, "interested", date(2026, 12, 27))
        undo_url = reverse("recruitment:enrolment_undo", args=[enrolment.uuid])
        assert client.post(undo_url, {"why": "Ei vielä kiinnostunut"}).status_code == 302
        page = client.get(detail).text
    assert "Correction" in page
    assert "Undone" in page
    assert "Väärä vuosi" in page
    enrolment.refresh_from_db()
    assert (enrolment.stage, enrolment.contacted_on) == ("contacted", date(2026, 12, 24))


def test_it_lets_no_evaluator_correct_a_step(world: World, unit: DeliveryUnit) -> None:
    enrolment = enrol(make_participant(world.org), unit, stage="contacted", on=TYPO)
    url = reverse("recruitment:enrolment_correct", args=[enrolment.uuid])
    response = signed_in(world.evaluator).post(url, {"step": steps(enrolment)[0].pk, "on": "2026-12-24", "why": "x"})
    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.contacted_on == TYPO
