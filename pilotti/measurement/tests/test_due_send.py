"""The due list acts: "send now" for one person and "send to everyone missing", each logged."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog, Action
from pilotti.core.zone import HELSINKI
from pilotti.measurement.models import Invitation
from pilotti.people import services as people
from pilotti.people.models import ConsentPurpose, Participant
from pilotti.programmes.models import Programme
from tests.factories import plan, setup_unit

DAY = datetime.combine(date(2019, 10, 24), time(12), tzinfo=HELSINKI)  # the day after intake


@pytest.fixture
def programme(world: World) -> tuple[Programme, list[Participant]]:
    programme, _unit, participants = setup_unit(world.org, people=3, facilitator=world.facilitator)
    plan(programme, "who-5", "intake")
    for participant in participants[:2]:  # the third has no evaluation consent
        people.consents_give(
            actor=None, participant=participant, purposes=[ConsentPurpose.EVALUATION],
            given_on=date(2019, 10, 1), method="written",
        )  # fmt: skip
    return programme, participants


@time_machine.travel(DAY, tick=False)
def test_it_sends_to_everyone_missing_once_and_logs_each(
    world: World, programme: tuple[Programme, list[Participant]]
) -> None:
    found, [first, second, _third] = programme
    client = signed_in(world.coordinator)
    page = client.get(reverse("measurement:programme_due", kwargs={"slug": found.slug}))
    assert "Send to everyone missing (2)" in page.content.decode(), "not the person without consent"
    url = reverse("measurement:programme_due_send", kwargs={"slug": found.slug})
    response = client.post(url, {"all": "1"}, follow=True)
    assert "Invitations sent: 2. Reminders sent: 0." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["t0@example.org", "t1@example.org"]
    sends = AccessLog.objects.filter(action=Action.SEND, user=world.coordinator)
    assert sorted(sends.values_list("participant_id", flat=True)) == sorted([first.pk, second.pk])
    assert Invitation.objects.get(participant=first).sent_by_user == world.coordinator
    page = client.get(reverse("measurement:programme_due", kwargs={"slug": found.slug})).content.decode()
    assert page.count("sent 24 Oct 2019 · e-mail") == 2
    client.post(url, {"all": "1"})
    assert len(mail.outbox) == 2, "nobody is sent one twice"


@time_machine.travel(DAY, tick=False)
def test_send_now_sends_one_and_then_reminds(world: World, programme: tuple[Programme, list[Participant]]) -> None:
    found, [first, _second, _third] = programme
    entry = found.plan_entries.get()
    client = signed_in(world.facilitator)
    url = reverse("measurement:programme_due_send", kwargs={"slug": found.slug})
    client.post(url, {"entry": str(entry.uuid), "participant": str(first.uuid)})
    assert [m.to for m in mail.outbox] == [["t0@example.org"]]
    page = client.get(reverse("measurement:programme_due", kwargs={"slug": found.slug})).content.decode()
    assert "Remind now" in page
    client.post(url, {"entry": str(entry.uuid), "participant": str(first.uuid)})
    assert len(mail.outbox) == 2
    assert "Muistutus:" in mail.outbox[1].body, "in Finnish when the person names no language"
    assert Invitation.objects.get(participant=first).reminders == 1


@time_machine.travel(DAY, tick=False)
def test_an_evaluator_sees_the_states_but_cannot_send(
    world: World, programme: tuple[Programme, list[Participant]]
) -> None:
    found, _participants = programme
    client = signed_in(world.evaluator)
    page = client.get(reverse("measurement:programme_due", kwargs={"slug": found.slug})).content.decode()
    assert "Send to everyone missing" not in page
    assert "Send now" not in page
    response = client.post(reverse("measurement:programme_due_send", kwargs={"slug": found.slug}), {"all": "1"})
    assert response.status_code == 403
    assert not mail.outbox


@time_machine.travel(datetime.combine(date(2019, 10, 23), time(7), tzinfo=HELSINKI), tick=False)
def test_send_now_works_before_the_sending_hours_on_the_day(
    world: World, programme: tuple[Programme, list[Participant]]
) -> None:
    found, [first, _second, _third] = programme
    entry = found.plan_entries.get()
    url = reverse("measurement:programme_due_send", kwargs={"slug": found.slug})
    signed_in(world.coordinator).post(url, {"entry": str(entry.uuid), "participant": str(first.uuid)})
    assert [m.to for m in mail.outbox] == [["t0@example.org"]], "at 7.00 on the intake day, before cron's 9.00"
