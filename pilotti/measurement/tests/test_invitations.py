"""Invitations from the measurement plan: each goes out by itself on its day, once, in the
person's language and by their channel, and the reminders stop when the answer arrives."""

import re
import smtplib
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import World, make_world, signed_in
from pilotti.core.zone import HELSINKI
from pilotti.measurement.invitations import send_due
from pilotti.measurement.models import Invitation, InvitationMessage
from pilotti.meetings import services as meeting_services
from pilotti.meetings import sms
from pilotti.meetings.models import ReminderChoice
from pilotti.people import services as people
from pilotti.people.models import ConsentPurpose, Participant
from pilotti.programmes.models import DeliveryUnit
from pilotti.recruitment.models import Enrolment
from pilotti.surveys.models import PersonalLink
from pilotti.surveys.services import personal_link_find, personal_link_submit
from tests.factories import plan, setup_unit
from tests.test_concurrency import all_at_once, database  # noqa: F401 - the fixture, in WAL mode on SQLite

WHO5 = {f"q{i}": 3 for i in range(1, 6)}
RATING = {"rating": 9}
INTAKE = date(2019, 10, 23)  # setup_unit enrols everyone on this day
MEETINGS = [date(2019, 10, 30) + timedelta(weeks=n) for n in range(7)]  # Wednesdays at 15.30–17.00
END = MEETINGS[-1]
FOLLOW_UP = END + timedelta(weeks=4)
TICKS = (time(18),)  # cron runs once a day here, after the meetings (every 15 minutes in production)


def _consent(participant: Participant, *purposes: str) -> None:
    people.consents_give(
        actor=None, participant=participant, purposes=list(purposes), given_on=date(2019, 10, 1), method="written"
    )


def _programme(world: World) -> tuple[DeliveryUnit, list[Participant]]:
    programme, unit, participants = setup_unit(world.org, people=3)
    plan(programme, "who-5", "intake")
    plan(programme, "pilotti-meeting-rating", "every_meeting")
    plan(programme, "who-5", "end")
    plan(programme, "who-5", "follow_up", follow_up_weeks=4)
    for participant, language in zip(participants, ["suomi", "arabia", "svenska"], strict=True):
        participant.preferred_language = language
        participant.save(update_fields=["preferred_language"])
        _consent(participant, ConsentPurpose.EVALUATION, ConsentPurpose.FOLLOW_UP)
    ReminderChoice.objects.create(participant=participants[1], channel="sms")
    return unit, participants


def _messages_since(mails: int, texts: int) -> list[tuple[str, str]]:
    """(address, body) of the e-mails and text messages after the first ``mails`` and ``texts``."""
    return [(m.to[0], m.body) for m in mail.outbox[mails:]] + [(t.to, t.body) for t in sms.outbox[texts:]]


def _answer(body: str, answers: dict[str, Any], language: str) -> None:
    token = re.search(r"/q/([A-Za-z0-9_-]+)/", body).group(1)  # type: ignore[union-attr]
    link = personal_link_find(token)
    assert link is not None, "the invitation's link works"
    personal_link_submit(link=link, answers=answers, language=language)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@pytest.fixture
def clean_outboxes() -> Iterator[None]:
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@override_settings(QUESTIONNAIRE_REMINDER_DAYS=[3, 7])
def test_a_whole_programme_sends_each_invitation_and_reminder_on_its_day_once(
    database: None,  # noqa: F811
    clean_outboxes: None,
) -> None:
    world = make_world()
    _unit, [fi, ar, sv] = _programme(world)
    phone = Participant.objects.get(pk=ar.pk).contact.phone
    sent: list[tuple[str, date, bool]] = []  # (address, day, reminder?)
    to_answer: list[tuple[str, bool]] = []  # the Finnish speaker answers each the next morning
    for day in _days(INTAKE, FOLLOW_UP + timedelta(days=15)):  # the follow-up's link closes after 14 days
        if day == date(2019, 11, 15):  # the Swedish speaker withdraws the consent to evaluation
            consent = sv.consents.get(purpose=ConsentPurpose.EVALUATION)
            people.consent_withdraw(actor=None, consent=consent, on=day)
        for tick in TICKS:
            with time_machine.travel(datetime.combine(day, tick, tzinfo=HELSINKI), tick=False):
                for body, is_rating in to_answer:
                    _answer(body, RATING if is_rating else WHO5, "fi")
                to_answer.clear()
                mails, texts = len(mail.outbox), len(sms.outbox)
                # Two servers run the command at the same moment.
                all_at_once([lambda: sum(send_due(now=timezone.now()).values())] * 2)
                connection.close()
                for address, body in _messages_since(mails, texts):
                    reminder = "Muistutus:" in body or "تذكير:" in body or "Påminnelse:" in body
                    sent.append((address, day, reminder))
                    assert body.startswith(f"{world.org.name} · Hervanta: "), body
                    if address == "t0@example.org":
                        assert "Vastaathan kyselyyn" in body
                        to_answer.append((body, "Arvio tapaamisesta" in body))
                    elif address == phone:
                        assert "الاستبيان" in body, body
                    else:
                        assert "enkäten" in body, body
    points = [(INTAKE, "intake"), *[(d, "meeting") for d in MEETINGS], (END, "end"), (FOLLOW_UP, "follow_up")]
    expected = Counter()
    for due, _kind in points:
        expected[("t0@example.org", due, False)] += 1  # answered the next morning: no reminder
        for offset, reminder in ((0, False), (3, True), (7, True)):
            expected[(phone, due + timedelta(days=offset), reminder)] += 1  # never answers
        for offset, reminder in ((0, False), (3, True), (7, True)):
            if due + timedelta(days=offset) < date(2019, 11, 15):  # nothing after the withdrawal
                expected[("t2@example.org", due + timedelta(days=offset), reminder)] += 1
    assert Counter(sent) == expected
    assert not sms.outbox or {t.to for t in sms.outbox} == {phone}, "the Arabic speaker chose text messages"
    assert all(m.to != [phone] for m in mail.outbox)
    # Every message has its claim row, and nothing was claimed twice.
    assert InvitationMessage.objects.count() == len(sent)
    assert not Invitation.objects.filter(participant=fi, answered_at__isnull=True).exists()
    assert Invitation.objects.filter(participant=fi).count() == len(points)


@pytest.fixture
def one(world: World, clean_outboxes: None) -> tuple[DeliveryUnit, Participant]:
    programme, unit, [person] = setup_unit(world.org, people=1)
    plan(programme, "who-5", "intake")
    person.preferred_language = "suomi"
    person.save(update_fields=["preferred_language"])
    _consent(person, ConsentPurpose.EVALUATION)
    return unit, person


def _run(day: date, hour: int = 10) -> dict[str, int]:
    with time_machine.travel(datetime.combine(day, time(hour), tzinfo=HELSINKI), tick=False):
        return send_due(now=timezone.now())


class Failing:
    def send(self, to: str, body: str) -> None:
        raise ConnectionError("gateway down")


def test_a_failing_backend_leaves_it_unsent_and_the_next_run_sends_it(one: tuple[DeliveryUnit, Participant]) -> None:
    _unit, person = one
    ReminderChoice.objects.create(participant=person, channel="sms")
    with override_settings(SMS_BACKEND=f"{__name__}.Failing"):
        assert _run(INTAKE) == {"sent": 0, "reminded": 0}
    invitation = Invitation.objects.get(participant=person)
    assert (invitation.sent_at, invitation.failures) == (None, 1)
    assert not InvitationMessage.objects.exists(), "a failed message leaves no claim"
    assert _run(INTAKE, 11) == {"sent": 1, "reminded": 0}
    assert len(sms.outbox) == 1
    assert PersonalLink.objects.filter(participant=person).count() == 1, "the retry sends the same link"


def test_a_refused_address_is_not_retried_until_it_changes(
    world: World, one: tuple[DeliveryUnit, Participant], monkeypatch: pytest.MonkeyPatch
) -> None:
    _unit, person = one

    def refuse(*args: object, **kwargs: object) -> None:
        raise smtplib.SMTPRecipientsRefused({"t0@example.org": (550, b"no such user")})

    monkeypatch.setattr("pilotti.measurement.invitations.send_mail", refuse)
    _run(INTAKE)
    _run(INTAKE, 12)
    invitation = Invitation.objects.get(participant=person)
    assert invitation.bounced_at is not None
    assert invitation.failures == 1
    monkeypatch.undo()
    assert _run(INTAKE, 13)["sent"] == 0
    # The person's page (its questionnaires section) says so.
    section = signed_in(world.coordinator).get(
        reverse("surveys:link_list", kwargs={"participant_uuid": person.uuid}), headers={"HX-Request": "true"}
    )
    assert f"The address of {person.code} was refused on 23 Oct 2019 (e-mail)" in section.content.decode()
    with time_machine.travel(datetime.combine(INTAKE, time(14), tzinfo=HELSINKI), tick=False):
        people.contact_details_update(
            actor=world.coordinator,
            participant=person,
            values=people.ContactFields(name="Testi", phone="", email="uusi@example.org", address="", identity_code=""),
        )
    assert _run(INTAKE, 15)["sent"] == 1
    assert mail.outbox[-1].to == ["uusi@example.org"]


def test_nothing_goes_to_a_cancelled_unit_or_a_completed_enrolment(world: World, clean_outboxes: None) -> None:
    programme, _unit, [first, second] = setup_unit(world.org, people=2)
    plan(programme, "who-5", "intake")
    for person in (first, second):
        _consent(person, ConsentPurpose.EVALUATION)
    enrolment = Enrolment.objects.get(participant=second)
    Enrolment.objects.filter(pk=enrolment.pk).update(stage="completed", completed_on=INTAKE)
    assert _run(INTAKE)["sent"] == 1
    assert mail.outbox[-1].to == ["t0@example.org"]
    other_programme, other_unit, [third] = setup_unit(world.org, people=1, name="Peruttu")
    plan(other_programme, "who-5", "intake")
    _consent(third, ConsentPurpose.EVALUATION)
    meeting_services.unit_change_status(
        actor=None, unit=other_unit, status=DeliveryUnit.Status.CANCELLED, on=INTAKE, reason="Liian vähän osallistujia"
    )
    assert _run(INTAKE, 11)["sent"] == 0


def test_a_person_without_consent_gets_nothing(world: World, clean_outboxes: None) -> None:
    programme, _unit, _people = setup_unit(world.org, people=1)
    plan(programme, "who-5", "intake")
    assert _run(INTAKE) == {"sent": 0, "reminded": 0}
    assert not Invitation.objects.exists()
