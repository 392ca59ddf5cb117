"""Safety alerts: raised at once for a safety item above zero, to the responsible workers only."""

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog
from pilotti.instruments.models import Mode
from pilotti.measurement.models import SafetyAlert
from pilotti.measurement.services import response_submitted
from tests.factories import answer, setup_unit

DAY = date(2019, 11, 6)
# (instrument, answers with the safety item at zero). EPDS item 10 is reverse-scored: the
# stored value 3 (the last option) scores 0.
ZERO = {
    "phq-9": ({f"q{i}": 0 for i in range(1, 10)}, "q9"),
    "epds": ({f"q{i}": 0 for i in range(1, 11)} | {"q10": 3}, "q10"),
    "core-10": ({f"q{i}": 0 for i in range(1, 11)}, "q6"),
}
ABOVE_ZERO = {"phq-9": 1, "epds": 2, "core-10": 1}  # each scores 1


def _submit(key: str, participant: object, *, flagged: bool, mode: str = Mode.PAPER, org: object = None) -> object:
    answers, item = ZERO[key]
    answers = dict(answers)
    if flagged:
        answers[item] = ABOVE_ZERO[key]
    response = answer(key, participant, answers, DAY, mode=mode, organisation=org)  # type: ignore[arg-type]
    response_submitted(response=response)
    return response


@pytest.mark.parametrize("key", ["phq-9", "epds", "core-10"])
def test_it_raises_an_alert_for_a_safety_item_above_zero(world: World, key: str) -> None:
    _programme, _unit, [participant] = setup_unit(world.org, people=1, facilitator=world.facilitator)
    _submit(key, participant, flagged=True)
    alert = SafetyAlert.objects.get()
    assert (alert.participant, alert.items, alert.acknowledged_at) == (participant, [ZERO[key][1]], None)


@pytest.mark.parametrize("key", ["phq-9", "epds", "core-10"])
def test_it_raises_no_alert_for_zero(world: World, key: str) -> None:
    _programme, _unit, [participant] = setup_unit(world.org, people=1)
    _submit(key, participant, flagged=False)
    assert not SafetyAlert.objects.exists()


def test_it_raises_no_alert_for_an_anonymous_answer(world: World) -> None:
    _submit("phq-9", None, flagged=True, mode=Mode.CLIENT_PANEL, org=world.org)
    assert not SafetyAlert.objects.exists()


def test_it_emails_the_responsible_workers_without_names_or_answers(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _programme, _unit, [participant] = setup_unit(world.org, people=1, facilitator=world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        _submit("phq-9", participant, flagged=True)
    alert = SafetyAlert.objects.get()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([world.facilitator.email, world.coordinator.email])
    assert alert.notified == 2
    for message in mail.outbox:
        text = message.subject + message.body
        assert str(alert.uuid) in message.body
        for secret in (participant.code, "Testi", "Henkilö", "q9", "PHQ"):
            assert secret not in text


def test_it_shows_open_alerts_on_the_start_page_of_responsible_workers_only(world: World) -> None:
    _programme, _unit, [participant] = setup_unit(world.org, people=1, facilitator=world.facilitator)
    _submit("core-10", participant, flagged=True)
    for user in (world.facilitator, world.coordinator):
        assert "safety-alerts-heading" in signed_in(user).get("/").content.decode()
    for user in (world.evaluator, world.owner, world.outsider):
        assert "safety-alerts-heading" not in signed_in(user).get("/").content.decode()


def test_it_acknowledges_an_alert_with_a_note_and_logs_it(world: World) -> None:
    _programme, _unit, [participant] = setup_unit(world.org, people=1, facilitator=world.facilitator)
    _submit("epds", participant, flagged=True)
    alert = SafetyAlert.objects.get()
    client = signed_in(world.facilitator)
    url = reverse("measurement:alert_acknowledge", kwargs={"alert_uuid": alert.uuid})
    empty = client.post(url, {"note": ""})
    assert empty.status_code == 400
    response = client.post(url, {"note": "Soitin samana päivänä, sovittiin käynti."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.facilitator
    assert alert.note == "Soitin samana päivänä, sovittiin käynti."
    assert alert.acknowledged_at is not None
    assert alert.history.count() == 2
    assert AccessLog.objects.filter(
        participant=participant, user=world.facilitator, item="safety alert acknowledged"
    ).exists()
    assert "safety-alerts-heading" not in client.get("/").content.decode()
    again = client.post(url, {"note": "Toisen kerran"})
    assert again.status_code == 400


def test_it_hides_alerts_from_evaluators_and_outsiders(world: World) -> None:
    _programme, _unit, [participant] = setup_unit(world.org, people=1)
    _submit("phq-9", participant, flagged=True)
    alert = SafetyAlert.objects.get()
    url = reverse("measurement:alert", kwargs={"alert_uuid": alert.uuid})
    assert signed_in(world.coordinator).get(url).status_code == 200
    assert AccessLog.objects.filter(participant=participant, item="safety alert").exists()
    for user in (world.evaluator, world.outsider, world.facilitator):  # not this participant's facilitator
        assert signed_in(user).get(url).status_code == 404
